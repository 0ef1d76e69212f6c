namespace Dione.Storage;

/// <summary>
/// The tables one store keeps in the node's SQLite file, as an ordered list of migrations: migration <c>i</c> (from 1)
/// takes the store's tables from version <c>i - 1</c> to version <c>i</c>, so <see cref="Version"/> is the count.
/// Version 1 creates the tables with <c>IF NOT EXISTS</c>, so a file written before versions were recorded (which
/// holds exactly those tables) is taken to version 1 unchanged.
/// </summary>
/// <param name="Name">The store's name in the <c>schema_versions</c> table (one row per store: several stores of
/// different layers share one file, and none knows the others' tables).</param>
/// <param name="Migrations">SQL scripts, oldest first; each runs inside the transaction that records its version.</param>
public sealed record StoreSchema(string Name, IReadOnlyList<string> Migrations)
{
    /// <summary>The version this code writes and understands.</summary>
    public int Version => Migrations.Count;
}
