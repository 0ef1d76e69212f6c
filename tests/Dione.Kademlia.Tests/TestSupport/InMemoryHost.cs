using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>
/// A host without sockets: it has an identity, a peer store and handlers, and a test plays identify by calling
/// <see cref="Identify"/>. It has no connections, so dialing and opening streams fail as for an unreachable peer.
/// </summary>
internal sealed class InMemoryHost : ILibp2pHost
{
    private readonly Dictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);

    public PeerId PeerId { get; } = PeerId.FromPublicKey(PrivateKey.Generate(KeyType.Ed25519).PublicKey);

    public PeerStore Peers { get; } = new(capacity: 1000);

    public IReadOnlyList<Connection> Connections => [];

    public IReadOnlyDictionary<string, StreamHandler> Handlers => _handlers;

    public event EventHandler<PeerInfo>? PeerIdentified;

    /// <summary>Records what identify learnt of a peer and raises <see cref="PeerIdentified"/>, as the real host does.</summary>
    public void Identify(PeerInfo info)
    {
        Peers.AddAddresses(info.PeerId, info.Addresses);
        PeerIdentified?.Invoke(this, info);
    }

    public Connection? FindConnection(PeerId peer) => null;

    public Task<Connection> DialAsync(PeerId peer, CancellationToken cancellationToken = default) =>
        Task.FromException<Connection>(new IOException($"the in-memory host cannot reach {peer}"));

    public Task<StreamContext> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default) =>
        Task.FromException<StreamContext>(new IOException($"the in-memory host cannot reach {peer}"));

    public void SetStreamHandler(string protocol, StreamHandler handler) => _handlers[protocol] = handler;

    public void RemoveStreamHandler(string protocol) => _handlers.Remove(protocol);

    public IReadOnlyList<Multiaddress> AdvertisedAddresses() => [];

    public Task<PeerInfo> WaitForIdentifiedAsync(PeerId peer, CancellationToken cancellationToken = default) =>
        Task.FromException<PeerInfo>(new InvalidOperationException($"not connected to {peer}"));
}
