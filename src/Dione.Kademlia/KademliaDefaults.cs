namespace Dione.Kademlia;

/// <summary>The parameters go-libp2p-kad-dht, js-libp2p and the spec share (specs/kad-dht).</summary>
public static class KademliaDefaults
{
    /// <summary>The Amino (IPFS) DHT protocol id.</summary>
    public const string ProtocolId = "/ipfs/kad/1.0.0";

    /// <summary>The IPFS LAN DHT protocol id.</summary>
    public const string LanProtocolId = "/ipfs/lan/kad/1.0.0";

    /// <summary>Bucket size and replication factor.</summary>
    public const int K = 20;

    /// <summary>Requests in flight per lookup.</summary>
    public const int Alpha = 10;

    /// <summary>Largest message read or written.</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
}
