using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Host;

/// <summary>What we know of one peer. Immutable: the peer store replaces it as it learns more.</summary>
public sealed record PeerInfo(PeerId PeerId)
{
    public PublicKey? PublicKey { get; init; }

    /// <summary>Transport addresses, without <c>/p2p/</c>.</summary>
    public IReadOnlyList<Multiaddress> Addresses { get; init; } = [];

    public IReadOnlyList<string> Protocols { get; init; } = [];

    public string? AgentVersion { get; init; }

    public string? ProtocolVersion { get; init; }

    /// <summary>Our address as this peer observed it.</summary>
    public Multiaddress? ObservedAddress { get; init; }

    /// <summary>Sequence number of the newest signed peer record accepted from this peer.</summary>
    public ulong? PeerRecordSeq { get; init; }

    public DateTimeOffset LastSeen { get; init; } = DateTimeOffset.UtcNow;
}
