using System.Diagnostics;
using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests;

/// <summary>The client against scripted (misbehaving) servers over TCP.</summary>
public class KadClientTests
{
    private static readonly KadOptions FastClient = new() { Mode = KadMode.Client, RequestTimeout = TimeSpan.FromMilliseconds(400) };

    [Fact]
    public async Task A_silent_server_times_out_each_request()
    {
        var requests = 0;
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            await stream.ReadMessageAsync(Message.Parser, ct);
            Interlocked.Increment(ref requests);
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var client = await ClientOfAsync(server, FastClient);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() => client.Client.FindNodeAsync(server.PeerId, server.PeerId, Timeouts.Token()));
        await Assert.ThrowsAsync<TimeoutException>(() => client.Client.GetValueAsync(server.PeerId, "/test/k"u8.ToArray(), Timeouts.Token()));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(10));
        Assert.Equal(2, requests);
    }

    [Fact]
    public async Task Cancelling_the_caller_token_is_not_a_timeout()
    {
        await using var server = await ScriptedServerAsync((_, ct) => Task.Delay(Timeout.Infinite, ct));
        await using var client = await ClientOfAsync(server, new KadOptions { Mode = KadMode.Client });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Client.FindNodeAsync(server.PeerId, server.PeerId, cancel.Token));
    }

    [Fact]
    public async Task Add_provider_does_not_wait_for_a_reply()
    {
        var received = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            received.TrySetResult((await stream.ReadMessageAsync(Message.Parser, ct))!);
            Assert.Null(await stream.ReadMessageAsync(Message.Parser, ct)); // the client half-closed
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var client = await ClientOfAsync(server);
        var key = Multihash.Sha256("block"u8);

        await client.Client.AddProviderAsync(server.PeerId, key, client.Host.ListenAddresses, Timeouts.Token());

        var request = await received.Task.WaitAsync(Timeouts.Test);
        Assert.Equal(Message.Types.MessageType.AddProvider, request.Type);
        Assert.Equal(key, request.Key.ToByteArray());
        var provider = KadPeerCodec.TryFromProto(Assert.Single(request.ProviderPeers))!;
        Assert.Equal(client.PeerId, provider.PeerId);
        Assert.Equal(client.Host.ListenAddresses, provider.Addresses);
    }

    [Theory]
    [InlineData("no reply")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("oversized")]
    [InlineData("wrong type")]
    public async Task Unusable_replies_fail_with_a_protocol_error(string kind)
    {
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            await stream.ReadMessageAsync(Message.Parser, ct);
            switch (kind)
            {
                case "garbage":
                    await RawKadStreamWrite(stream, RawKadStream.Framed([0xff, 0xff, 0xff, 0x0f]), ct);
                    break;
                case "truncated":
                    await RawKadStreamWrite(stream, [0x20, 0x08, 0x04], ct);
                    break;
                case "oversized":
                    var prefix = new byte[10];
                    var length = Varint.Write(prefix, (ulong)KademliaDefaults.MaxMessageSize + 1);
                    await RawKadStreamWrite(stream, prefix[..length], ct);
                    await Task.Delay(Timeout.Infinite, ct);
                    break;
                case "wrong type":
                    await stream.WriteMessageAsync(new Message { Type = Message.Types.MessageType.Ping }, ct);
                    break;
            }
        });
        await using var client = await ClientOfAsync(server, new KadOptions { Mode = KadMode.Client });

        await Assert.ThrowsAsync<KadProtocolException>(() => client.Client.FindNodeAsync(server.PeerId, server.PeerId, Timeouts.Token()));
    }

    [Fact]
    public async Task A_peer_that_does_not_speak_the_protocol_fails_the_request()
    {
        await using var notKad = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        // The default 10 s budget: the refusal must come from the peer's `na`, not from a short timeout that a loaded
        // machine can hit while still dialing.
        await using var client = await ClientOfAsync(notKad.Host, new KadOptions { Mode = KadMode.Client });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.Client.FindNodeAsync(notKad.PeerId, notKad.PeerId, Timeouts.Token()));

        Assert.IsNotType<TimeoutException>(error);
    }

    [Fact]
    public async Task A_reply_with_thousands_of_closer_peers_and_garbage_addresses_is_truncated_and_cleaned()
    {
        var flood = RandomPeers.Many(900, 5000);
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            var request = (await stream.ReadMessageAsync(Message.Parser, ct))!;
            var reply = new Message { Type = request.Type };
            reply.CloserPeers.Add(KadPeerCodec.ToProto(new KadPeer(client.PeerId, [Multiaddress.Parse("/ip4/6.6.6.6/tcp/1")])));
            foreach (var (peer, i) in flood.Select((p, i) => (p, i)))
            {
                var entry = KadPeerCodec.ToProto(new KadPeer(peer, [Multiaddress.Parse($"/ip4/10.2.{i / 256}.{i % 256}/tcp/1")]));
                entry.Addrs.Add(ByteString.CopyFrom(0xde, 0xad, 0xbe, 0xef));
                reply.CloserPeers.Add(entry);
            }
            await stream.WriteMessageAsync(reply, ct);
        });
        client.Host.Peers.AddAddresses(server.PeerId, server.ListenAddresses);
        var knownBefore = client.Host.Peers.Count;

        var closer = await client.Client.FindNodeAsync(server.PeerId, server.PeerId, Timeouts.Token());

        // 2k = 40 entries read; the first was ourselves and is left out.
        Assert.Equal(flood.Take(39), closer.Select(p => p.PeerId));
        Assert.All(closer, p => Assert.Single(p.Addresses));
        Assert.Equal(knownBefore + 39, client.Host.Peers.Count);
        Assert.DoesNotContain(Multiaddress.Parse("/ip4/6.6.6.6/tcp/1"), client.Host.Peers.Get(client.PeerId)?.Addresses ?? []);
    }

    [Fact]
    public async Task Put_value_requires_the_record_to_be_echoed()
    {
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            var request = (await stream.ReadMessageAsync(Message.Parser, ct))!;
            request.Record.Value = ByteString.CopyFromUtf8("something else");
            await stream.WriteMessageAsync(request, ct);
        });
        await using var client = await ClientOfAsync(server);
        var record = new Record { Key = ByteString.CopyFromUtf8("/test/k"), Value = ByteString.CopyFromUtf8("v") };

        await Assert.ThrowsAsync<KadProtocolException>(() => client.Client.PutValueAsync(server.PeerId, record, Timeouts.Token()));
    }

    [Fact]
    public async Task Get_value_drops_a_record_filed_under_another_key()
    {
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            var request = (await stream.ReadMessageAsync(Message.Parser, ct))!;
            var reply = new Message { Type = request.Type, Key = request.Key };
            reply.Record = new Record { Key = ByteString.CopyFromUtf8("/test/other"), Value = ByteString.CopyFromUtf8("v") };
            await stream.WriteMessageAsync(reply, ct);
        });
        await using var client = await ClientOfAsync(server);

        var reply = await client.Client.GetValueAsync(server.PeerId, "/test/mine"u8.ToArray(), Timeouts.Token());

        Assert.Null(reply.Record);
    }

    [Fact]
    public async Task Responding_peers_are_announced()
    {
        await using var server = await KadTestNode.StartAsync();
        await using var client = await ClientOfAsync(server.Host);
        var responded = new TaskCompletionSource<PeerId>();
        client.Client.PeerResponded += (_, peer) => responded.TrySetResult(peer);

        await client.Client.FindNodeAsync(server.PeerId, server.PeerId, Timeouts.Token());

        Assert.Equal(server.PeerId, await responded.Task.WaitAsync(Timeouts.Test));
    }

    private static async Task RawKadStreamWrite(StreamContext stream, byte[] bytes, CancellationToken ct)
    {
        await stream.Stream.WriteAsync(bytes, ct);
        await stream.Stream.FlushAsync(ct);
    }

    private static async Task<Libp2pHost> ScriptedServerAsync(StreamHandler handler)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").WithProtocol(KademliaDefaults.ProtocolId, handler).Build();
        await host.StartAsync();
        return host;
    }

    // The normal request budget unless a test is about timeouts: a 400 ms budget also covers the dial, which a loaded
    // machine can exceed.
    private static async Task<KadTestNode> ClientOfAsync(Libp2pHost server, KadOptions? options = null)
    {
        var client = await KadTestNode.StartAsync(options ?? new KadOptions { Mode = KadMode.Client });
        client.Host.Peers.AddAddresses(server.PeerId, server.ListenAddresses);
        return client;
    }
}
