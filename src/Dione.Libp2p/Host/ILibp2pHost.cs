using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Host;

/// <summary>
/// What a protocol built on top of libp2p (Kademlia, the Dione store, …) needs of a host: who we are, what we know of
/// other peers, connections to them, streams, our handlers and what identify learns. <see cref="Libp2pHost"/> is the
/// real one; a test can put an in-memory one in its place.
/// </summary>
public interface ILibp2pHost
{
    PeerId PeerId { get; }

    /// <summary>What we know of other peers: addresses, keys, protocols.</summary>
    PeerStore Peers { get; }

    /// <summary>The open connections.</summary>
    IReadOnlyList<Connection> Connections { get; }

    /// <summary>Raised when a peer has been identified (or has pushed an update).</summary>
    event EventHandler<PeerInfo>? PeerIdentified;

    /// <summary>An open connection to <paramref name="peer"/>, or null.</summary>
    Connection? FindConnection(PeerId peer);

    /// <summary>Returns the open connection to <paramref name="peer"/>, or dials the addresses <see cref="Peers"/> knows.</summary>
    Task<Connection> DialAsync(PeerId peer, CancellationToken cancellationToken = default);

    /// <summary>Opens a stream to <paramref name="peer"/> (dialing if needed) for one of <paramref name="protocols"/>, in order of preference.</summary>
    Task<StreamContext> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default);

    /// <summary>Answers <paramref name="protocol"/> on inbound streams with <paramref name="handler"/> (replacing any earlier one).</summary>
    void SetStreamHandler(string protocol, StreamHandler handler);

    void RemoveStreamHandler(string protocol);

    /// <summary>Our listen addresses as peers should see them.</summary>
    IReadOnlyList<Multiaddress> AdvertisedAddresses();

    /// <summary>Waits until the connected <paramref name="peer"/> has been identified.</summary>
    /// <exception cref="InvalidOperationException">We are not connected to <paramref name="peer"/>.</exception>
    Task<PeerInfo> WaitForIdentifiedAsync(PeerId peer, CancellationToken cancellationToken = default);
}
