namespace Dione.Kademlia.Dht;

/// <summary>The mode setting of a <see cref="KademliaDht"/> (issue 3: <c>--dht-mode client|server|auto</c>).</summary>
public enum DhtMode
{
    /// <summary>Queries only; the protocol is not advertised and inbound requests are refused.</summary>
    Client,

    /// <summary>Queries and answers.</summary>
    Server,

    /// <summary>Server once the node has a public address (listen or observed by a peer), client until then.</summary>
    Auto,
}
