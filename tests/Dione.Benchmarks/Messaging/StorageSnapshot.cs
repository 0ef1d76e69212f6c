using Dione.Messenger.Node;
using Microsoft.Data.Sqlite;

namespace Dione.Benchmarks.Messaging;

/// <summary>
/// What the swarm's envelope stores hold at one moment: envelopes, their bytes, and the database pages in use
/// (page_count less freelist_count, times page_size, read through a separate read-only connection that sees the WAL).
/// The database pages are counted at the nodes without a messenger only (a person's node keeps the messenger's tables
/// in the same file), with <see cref="DatabaseEnvelopes"/> the envelopes those nodes hold.
/// </summary>
internal sealed record StorageSnapshot(long Envelopes, long EnvelopeBytes, long DatabaseBytes, long DatabaseEnvelopes)
{
    public static StorageSnapshot Take(IEnumerable<DioneNode> nodes)
    {
        long envelopes = 0, bytes = 0, database = 0, databaseEnvelopes = 0;
        foreach (var node in nodes)
        {
            envelopes += node.Mailbox.Store.Count;
            bytes += node.Mailbox.Store.Bytes;
            if (!node.Options.RunMessenger)
            {
                database += UsedBytes(node.Options.DatabasePath);
                databaseEnvelopes += node.Mailbox.Store.Count;
            }
        }
        return new StorageSnapshot(envelopes, bytes, database, databaseEnvelopes);
    }

    private static long UsedBytes(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return Pragma(connection, "page_count") - Pragma(connection, "freelist_count") is var pages && pages > 0 ? pages * Pragma(connection, "page_size") : 0;
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
