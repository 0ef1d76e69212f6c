namespace Dione.Kademlia;

/// <summary>
/// Client or server mode (specs/kad-dht "Client and server mode"). Only a server registers the protocol, so only a
/// server advertises it in identify and answers inbound requests; both modes query others.
/// </summary>
public enum KadMode
{
    /// <summary>Queries the DHT; not advertised, inbound kad streams are refused.</summary>
    Client,

    /// <summary>Queries the DHT and answers other peers.</summary>
    Server,
}
