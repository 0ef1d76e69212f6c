namespace Dione.Messenger.Store;

/// <summary>Constants of the <c>/dione/1.0</c> envelope store protocol.</summary>
public static class DioneStoreProtocol
{
    public const string Id = "/dione/1.0";

    /// <summary>Time a peer has to send its next request on an open stream before the stream is closed.</summary>
    public static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Longest a FETCH may wait for an envelope to arrive (<c>wait_ms</c> is capped at this).</summary>
    public static readonly TimeSpan MaxFetchWait = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one request and its answer (a waiting FETCH gets its wait on top).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
}
