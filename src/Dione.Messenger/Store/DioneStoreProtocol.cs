namespace Dione.Messenger.Store;

/// <summary>Constants of the <c>/dione/1.0</c> envelope store protocol.</summary>
public static class DioneStoreProtocol
{
    public const string Id = "/dione/1.0";

    /// <summary>Time a peer has to send its next request on an open stream before the stream is closed.</summary>
    public static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Time allowed for one request and its answer.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
}
