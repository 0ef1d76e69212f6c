namespace Dione.Libp2p.Yamux;

/// <summary>Constants of the yamux stream multiplexer as libp2p specifies it.</summary>
public static class YamuxProtocol
{
    /// <summary>The protocol id negotiated with multistream-select.</summary>
    public const string Id = "/yamux/1.0.0";

    /// <summary>The receive window both sides assume for a new stream before any window update (256 KiB).</summary>
    public const int InitialStreamWindow = 256 * 1024;
}
