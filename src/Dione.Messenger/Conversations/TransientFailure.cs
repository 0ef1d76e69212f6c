namespace Dione.Messenger.Conversations;

/// <summary>
/// Failures a background loop logs and outlives: the network (I/O, timeouts), a peer breaking the protocol, a busy
/// database. Anything else is a bug and ends the loop.
/// </summary>
internal static class TransientFailure
{
    public static bool Is(Exception e) => e is IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException;
}
