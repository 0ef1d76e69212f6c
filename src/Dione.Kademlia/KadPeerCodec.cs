using Dione.Kademlia.Protos;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Kademlia;

/// <summary>
/// Converts between <see cref="KadPeer"/> and the wire <c>Message.Peer</c>, defensively: what a remote peer sends is
/// bounded and cleaned, never trusted.
/// </summary>
/// <remarks>
/// Decoding: an entry whose id is not a valid peer id is dropped; an address that does not parse is skipped, as is
/// one ending in <c>/p2p/</c> of another peer; a trailing <c>/p2p/</c> of the peer itself is removed; duplicates are
/// dropped and at most <see cref="MaxAddressesPerPeer"/> addresses are kept. A list keeps only its first
/// <c>max</c> entries (valid or not, so a hostile list costs bounded work), and the first entry of each peer.
/// An unknown connection type reads as <c>NOT_CONNECTED</c>.
/// </remarks>
public static class KadPeerCodec
{
    /// <summary>Addresses kept per peer, in either direction.</summary>
    public const int MaxAddressesPerPeer = 32;

    /// <summary>The wire form of <paramref name="peer"/>, with at most <see cref="MaxAddressesPerPeer"/> addresses.</summary>
    public static Message.Types.Peer ToProto(KadPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var proto = new Message.Types.Peer
        {
            Id = ByteString.CopyFrom(peer.PeerId.Bytes),
            Connection = peer.Connection,
        };
        foreach (var address in peer.Addresses.Take(MaxAddressesPerPeer))
        {
            proto.Addrs.Add(ByteString.CopyFrom(address.ToBytes()));
        }
        return proto;
    }

    /// <summary>The peer of a wire entry, or null when its id is not a valid peer id.</summary>
    public static KadPeer? TryFromProto(Message.Types.Peer proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var peerId = TryParsePeerId(proto.Id.Span);
        if (peerId is null)
        {
            return null;
        }
        var addresses = new List<Multiaddress>();
        foreach (var raw in proto.Addrs)
        {
            if (addresses.Count == MaxAddressesPerPeer)
            {
                break;
            }
            var address = TryParseAddress(raw.Span, peerId);
            if (address is not null && !addresses.Contains(address))
            {
                addresses.Add(address);
            }
        }
        var connection = Enum.IsDefined(proto.Connection) ? proto.Connection : Message.Types.ConnectionType.NotConnected;
        return new KadPeer(peerId, addresses, connection);
    }

    /// <summary>The valid peers among the first <paramref name="max"/> entries of <paramref name="protos"/>, one per peer id.</summary>
    public static IReadOnlyList<KadPeer> FromProtoList(IEnumerable<Message.Types.Peer> protos, int max)
    {
        ArgumentNullException.ThrowIfNull(protos);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var peers = new List<KadPeer>();
        var seen = new HashSet<PeerId>();
        foreach (var proto in protos.Take(max))
        {
            var peer = TryFromProto(proto);
            if (peer is not null && seen.Add(peer.PeerId))
            {
                peers.Add(peer);
            }
        }
        return peers;
    }

    /// <summary>A peer id from its binary form, or null.</summary>
    public static PeerId? TryParsePeerId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }
        try
        {
            return PeerId.FromBytes(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A transport address of <paramref name="owner"/> from its binary form, without <c>/p2p/</c>, or null.</summary>
    public static Multiaddress? TryParseAddress(ReadOnlySpan<byte> bytes, PeerId owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Multiaddress address;
        try
        {
            address = Multiaddress.FromBytes(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
        var components = address.Components;
        if (components.Count > 0 && components[^1].Protocol == MultiaddrProtocols.P2p)
        {
            if (!components[^1].Value.SequenceEqual(owner.Bytes))
            {
                return null;
            }
            address = address.WithoutPeerId();
        }
        return address.Components.Count > 0 ? address : null;
    }
}
