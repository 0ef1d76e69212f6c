using Dione.Libp2p.Framing;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Protocols.Identify;
using Dione.Libp2p.Records;
using Dione.Libp2p.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Libp2p.Tests.Protocols;

public class IdentifyTests
{
    [Fact]
    public async Task Messages_on_one_stream_are_merged_until_the_end_as_go_splits_them()
    {
        var key = PrivateKey.Generate();
        var first = new Protos.Identify { AgentVersion = "go-libp2p/0.48", ProtocolVersion = "ipfs/0.1.0", PublicKey = ByteString.CopyFrom(key.PublicKey.ToProtobuf()) };
        first.Protocols.Add("/ipfs/kad/1.0.0");
        first.ListenAddrs.Add(ByteString.CopyFrom(Multiaddress.Parse("/ip4/10.0.0.1/tcp/4001").ToBytes()));
        var second = new Protos.Identify { SignedPeerRecord = ByteString.CopyFrom([1, 2, 3]) };
        second.Protocols.Add("/ipfs/ping/1.0.0");
        using var stream = new MemoryStream();
        await LengthPrefixed.WriteMessageAsync(stream, first, default);
        await LengthPrefixed.WriteMessageAsync(stream, second, default);
        stream.Position = 0;

        var merged = await IdentifyService.ReadMergedAsync(stream, default);

        Assert.Equal("go-libp2p/0.48", merged.AgentVersion);
        Assert.Equal(["/ipfs/kad/1.0.0", "/ipfs/ping/1.0.0"], merged.Protocols);
        Assert.Single(merged.ListenAddrs);
        Assert.Equal([1, 2, 3], merged.SignedPeerRecord.ToByteArray());
    }

    [Fact]
    public async Task More_than_ten_messages_or_one_over_8_KiB_is_refused()
    {
        using var many = new MemoryStream();
        for (var i = 0; i < IdentifyService.MaxMessagesPerStream + 1; i++)
        {
            await LengthPrefixed.WriteMessageAsync(many, new Protos.Identify { AgentVersion = "x" }, default);
        }
        many.Position = 0;
        using var large = new MemoryStream();
        await LengthPrefixed.WriteMessageAsync(large, new Protos.Identify { AgentVersion = new string('a', IdentifyService.MaxMessageSize) }, default);
        large.Position = 0;

        await Assert.ThrowsAsync<InvalidDataException>(() => IdentifyService.ReadMergedAsync(many, default));
        await Assert.ThrowsAsync<InvalidDataException>(() => IdentifyService.ReadMergedAsync(large, default));
    }

    [Fact]
    public async Task Random_and_mutated_identify_streams_fail_cleanly()
    {
        var valid = new MemoryStream();
        var message = new Protos.Identify { AgentVersion = "a", ProtocolVersion = "b", PublicKey = ByteString.CopyFrom(PrivateKey.Generate().PublicKey.ToProtobuf()) };
        message.Protocols.Add("/ipfs/ping/1.0.0");
        message.ListenAddrs.Add(ByteString.CopyFrom(Multiaddress.Parse("/ip4/1.2.3.4/tcp/1").ToBytes()));
        await LengthPrefixed.WriteMessageAsync(valid, message, default);
        await LengthPrefixed.WriteMessageAsync(valid, message, default);
        var seed = valid.ToArray();
        var mutator = new SeededMutator(7);
        var tally = new MutationTally(typeof(InvalidDataException), typeof(EndOfStreamException));
        for (var i = 0; i < 100_000; i++)
        {
            var input = mutator.Mutate(seed);
            await tally.RecordAsync(input, async () =>
            {
                await IdentifyService.ReadMergedAsync(new MemoryStream(input), default);
                return MutationTally.Accepted;
            });
        }
        tally.Finish();
    }

    [Fact]
    public async Task Our_message_stays_under_4_KiB_with_many_addresses_and_carries_a_valid_signed_record()
    {
        var builder = new Libp2pHostBuilder();
        for (var i = 0; i < 200; i++)
        {
            builder.ListenOn("/ip4/127.0.0.1/tcp/0");
        }
        await using var host = builder.Build();
        await host.StartAsync();

        var message = host.Identify.BuildMessage(null);

        Assert.True(message.CalculateSize() <= IdentifyService.MaxOwnMessageSize, $"{message.CalculateSize()} bytes");
        Assert.NotEmpty(message.ListenAddrs);
        var record = PeerRecord.FromSignedEnvelope(message.SignedPeerRecord.Span);
        Assert.Equal(host.PeerId, record.PeerId);
        Assert.Equal(200, record.Addresses.Count);
        Assert.Equal(host.PeerId, PeerId.FromPublicKey(PublicKey.FromProtobuf(message.PublicKey.Span)));
    }

    [Fact]
    public async Task A_peer_whose_identify_key_is_not_its_own_is_not_believed()
    {
        var stranger = PrivateKey.Generate();
        await using var liar = await TestHosts.StartAsync(b => b.WithProtocol(IdentifyService.ProtocolId, async (context, ct) =>
        {
            var message = new Protos.Identify { AgentVersion = "liar/1", PublicKey = ByteString.CopyFrom(stranger.PublicKey.ToProtobuf()) };
            await LengthPrefixed.WriteMessageAsync(context.Stream, message, ct);
        }));
        await using var host = await TestHosts.StartAsync();

        var connection = await host.DialAsync(liar.DialAddress(), Timeouts.Token());

        await Assert.ThrowsAsync<InvalidDataException>(() => host.Identify.IdentifyAsync(connection, Timeouts.Token()));
        Assert.Null(host.Peers.Get(liar.PeerId)!.AgentVersion);
    }

    [Fact]
    public async Task A_signed_record_of_another_peer_is_ignored_and_plain_listen_addresses_are_used()
    {
        var other = PrivateKey.Generate();
        var forged = new PeerRecord(PeerId.FromPublicKey(other.PublicKey), [Multiaddress.Parse("/ip4/6.6.6.6/tcp/666")]).ToSignedEnvelope(other).ToBytes();
        await using var peer = await TestHosts.StartAsync(b => b.WithProtocol(IdentifyService.ProtocolId, async (context, ct) =>
        {
            var message = new Protos.Identify { AgentVersion = "forger/1", SignedPeerRecord = ByteString.CopyFrom(forged) };
            message.ListenAddrs.Add(ByteString.CopyFrom(Multiaddress.Parse("/ip4/127.0.0.1/tcp/9").ToBytes()));
            message.ListenAddrs.Add(ByteString.CopyFrom([0xff, 0xff, 0xff])); // garbage is skipped
            await LengthPrefixed.WriteMessageAsync(context.Stream, message, ct);
        }));
        await using var host = await TestHosts.StartAsync();

        var connection = await host.DialAsync(peer.DialAddress(), Timeouts.Token());
        var info = await host.Identify.IdentifyAsync(connection, Timeouts.Token());

        Assert.Equal("forger/1", info.AgentVersion);
        Assert.Contains(Multiaddress.Parse("/ip4/127.0.0.1/tcp/9"), info.Addresses);
        Assert.DoesNotContain(Multiaddress.Parse("/ip4/6.6.6.6/tcp/666"), info.Addresses);
        Assert.Null(info.PeerRecordSeq);
    }
}
