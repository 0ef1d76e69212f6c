namespace Dione.Storage;

/// <summary>
/// The database holds a store's tables at a version newer than this code understands (written by a newer build).
/// Opening it would risk silent damage, so it is refused: run the newer build, or use another repo.
/// </summary>
public sealed class SchemaTooNewException : Exception
{
    public SchemaTooNewException(string databasePath, string store, long foundVersion, int knownVersion)
        : base($"{databasePath} holds the '{store}' tables at schema version {foundVersion}, but this build understands "
            + $"versions up to {knownVersion}; open it with the newer build that wrote it")
    {
        Store = store;
        FoundVersion = foundVersion;
        KnownVersion = knownVersion;
    }

    public string Store { get; }

    public long FoundVersion { get; }

    public int KnownVersion { get; }
}
