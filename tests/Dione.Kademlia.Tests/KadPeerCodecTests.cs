using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Kademlia.Tests;

public class KadPeerCodecTests
{
    private static readonly PeerId Alice = PeerId.FromPublicKey(Ed25519PrivateKey.FromSeed(new byte[32]).PublicKey);
    private static readonly PeerId Bob = PeerId.Parse("QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ");

    [Fact]
    public void A_peer_round_trips()
    {
        var peer = new KadPeer(Alice, [Multiaddress.Parse("/ip4/1.2.3.4/tcp/4001"), Multiaddress.Parse("/ip6/::1/udp/4001/quic-v1")], Message.Types.ConnectionType.Connected);

        var proto = KadPeerCodec.ToProto(peer);

        Assert.Equal(Alice.ToBytes(), proto.Id.ToByteArray());
        Assert.Equal(peer, KadPeerCodec.TryFromProto(Message.Types.Peer.Parser.ParseFrom(proto.ToByteArray())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("1220aabb")] // sha2-256 with a short digest
    [InlineData("1120" + "0000000000000000000000000000000000000000000000000000000000000000")] // sha1 code
    [InlineData("0004deadbeef")] // identity multihash that is no public key
    [InlineData("ffffffffffffffffffff01")] // varint too long
    public void Entries_with_invalid_ids_are_dropped(string idHex)
    {
        var proto = new Message.Types.Peer { Id = ByteString.CopyFrom(Convert.FromHexString(idHex)) };
        proto.Addrs.Add(ByteString.CopyFrom(Multiaddress.Parse("/ip4/1.2.3.4/tcp/1").ToBytes()));

        Assert.Null(KadPeerCodec.TryFromProto(proto));
        Assert.Empty(KadPeerCodec.FromProtoList([proto], 10));
    }

    [Fact]
    public void Addresses_that_do_not_parse_are_skipped_and_p2p_suffixes_removed()
    {
        var proto = new Message.Types.Peer { Id = ByteString.CopyFrom(Alice.Bytes) };
        proto.Addrs.Add(ByteString.CopyFrom(0x04, 1, 2)); // truncated ip4
        proto.Addrs.Add(ByteString.Empty);
        proto.Addrs.Add(ByteString.CopyFrom(0xff, 0xff, 0x03)); // unknown protocol code
        proto.Addrs.Add(Bytes($"/ip4/10.0.0.1/tcp/4001/p2p/{Alice}"));
        proto.Addrs.Add(Bytes($"/ip4/10.0.0.2/tcp/4001/p2p/{Bob}")); // another peer's address: skipped
        proto.Addrs.Add(Bytes($"/ip4/10.0.0.3/tcp/4001/p2p/{Bob}/p2p-circuit")); // through a relay: kept
        proto.Addrs.Add(Bytes("/ip4/10.0.0.1/tcp/4001")); // duplicate once the suffix is gone
        proto.Addrs.Add(Bytes($"/p2p/{Alice}")); // nothing left after the suffix

        var peer = KadPeerCodec.TryFromProto(proto)!;

        Assert.Equal(
            ["/ip4/10.0.0.1/tcp/4001", $"/ip4/10.0.0.3/tcp/4001/p2p/{Bob}/p2p-circuit"],
            peer.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void At_most_32_addresses_are_kept_either_way()
    {
        var proto = new Message.Types.Peer { Id = ByteString.CopyFrom(Alice.Bytes) };
        var addresses = Enumerable.Range(0, 100).Select(i => Multiaddress.Parse($"/ip4/10.0.0.1/tcp/{1000 + i}")).ToList();
        proto.Addrs.AddRange(addresses.Select(a => ByteString.CopyFrom(a.ToBytes())));

        Assert.Equal(addresses.Take(32), KadPeerCodec.TryFromProto(proto)!.Addresses);
        Assert.Equal(32, KadPeerCodec.ToProto(new KadPeer(Alice, addresses)).Addrs.Count);
    }

    [Fact]
    public void Unknown_connection_types_read_as_not_connected()
    {
        var proto = new Message.Types.Peer { Id = ByteString.CopyFrom(Alice.Bytes), Connection = (Message.Types.ConnectionType)77 };

        Assert.Equal(Message.Types.ConnectionType.NotConnected, KadPeerCodec.TryFromProto(proto)!.Connection);
    }

    [Fact]
    public void Lists_are_truncated_to_their_first_entries_and_keep_one_entry_per_peer()
    {
        var peers = RandomPeers.Many(1, 200);
        var protos = peers.Select(p => KadPeerCodec.ToProto(new KadPeer(p))).ToList();
        protos.Insert(1, new Message.Types.Peer { Id = ByteString.CopyFrom(1, 2, 3) }); // invalid: counts towards the bound
        protos.Insert(2, KadPeerCodec.ToProto(new KadPeer(peers[0], [Multiaddress.Parse("/ip4/1.1.1.1/tcp/1")])));

        var read = KadPeerCodec.FromProtoList(protos, 40);

        Assert.Equal(peers.Take(38), read.Select(p => p.PeerId));
        Assert.Empty(read[0].Addresses); // the first entry of a peer wins
    }

    [Fact]
    public void Mutated_peer_entries_decode_or_are_dropped_cleanly()
    {
        var corpus = new List<byte[]>
        {
            KadPeerCodec.ToProto(new KadPeer(Alice, [Multiaddress.Parse("/ip4/1.2.3.4/tcp/4001"), Multiaddress.Parse($"/dns4/example.com/tcp/443/wss/p2p/{Alice}")])).ToByteArray(),
            KadPeerCodec.ToProto(new KadPeer(Bob, [Multiaddress.Parse("/ip6/::1/udp/1/quic-v1")], Message.Types.ConnectionType.CanConnect)).ToByteArray(),
        };

        var mutator = new SeededMutator(7);
        var tally = MutationTally.Run(null, 100_000, () => mutator.Next(corpus), input =>
        {
            var proto = Message.Types.Peer.Parser.ParseFrom(input);
            if (KadPeerCodec.TryFromProto(proto) is { } peer)
            {
                Assert.True(peer.Addresses.Count <= KadPeerCodec.MaxAddressesPerPeer);
            }
        }, typeof(InvalidProtocolBufferException));

        Assert.InRange(tally[MutationTally.Accepted], 1, 99_999);
    }

    private static ByteString Bytes(string address) => ByteString.CopyFrom(Multiaddress.Parse(address).ToBytes());
}
