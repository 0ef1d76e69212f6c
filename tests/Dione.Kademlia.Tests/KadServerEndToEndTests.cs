using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests;

/// <summary>A kad server and clients on real hosts over TCP on 127.0.0.1.</summary>
public sealed class KadServerEndToEndTests : IAsyncLifetime
{
    private KadTestNode _server = null!;
    private KadTestNode _client = null!;
    private List<PeerId> _known = null!;

    public async Task InitializeAsync()
    {
        _server = await KadTestNode.StartAsync();
        _client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        _known = RandomPeers.Many(700, 50);
        foreach (var (peer, i) in _known.Select((p, i) => (p, i)))
        {
            _server.Host.Peers.AddAddresses(peer, [Multiaddress.Parse($"/ip4/10.1.0.{i}/tcp/4001")]);
            _server.Table.TryAdd(peer);
        }
        _client.Host.Peers.AddAddresses(_server.PeerId, _server.Host.ListenAddresses);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Find_node_over_tcp_returns_closer_peers_and_fills_the_peer_store()
    {
        var target = RandomPeers.Next(new Random(701));

        var closer = await _client.Client.FindNodeAsync(_server.PeerId, target, Timeouts.Token());

        var expected = _server.Table.NearestPeers(KadId.FromPeerId(target), 20).Select(e => e.PeerId);
        Assert.Equal(expected, closer.Select(p => p.PeerId));
        Assert.All(closer, p => Assert.Equal(p.Addresses, _client.Host.Peers.Get(p.PeerId)!.Addresses));
    }

    [Fact]
    public async Task Find_node_of_the_servers_own_id_returns_the_server_first_as_go_liveness_checks_expect()
    {
        var closer = await _client.Client.FindNodeAsync(_server.PeerId, _server.PeerId, Timeouts.Token());

        Assert.Equal(_server.PeerId, closer[0].PeerId);
        Assert.Equal(_server.Host.ListenAddresses, closer[0].Addresses);
    }

    [Fact]
    public async Task Put_value_then_get_value()
    {
        var record = new Record { Key = ByteString.CopyFromUtf8("/test/e2e"), Value = ByteString.CopyFromUtf8("hello") };

        await _client.Client.PutValueAsync(_server.PeerId, record, Timeouts.Token());
        var reply = await _client.Client.GetValueAsync(_server.PeerId, "/test/e2e"u8.ToArray(), Timeouts.Token());

        Assert.Equal("hello", reply.Record!.Value.ToStringUtf8());
        Assert.True(RecordTimestamp.TryParse(reply.Record.TimeReceived, out _));
        Assert.Equal(20, reply.CloserPeers.Count);
    }

    [Fact]
    public async Task A_refused_put_value_resets_the_stream()
    {
        var invalid = new Record { Key = ByteString.CopyFromUtf8("/test/bad"), Value = ByteString.CopyFromUtf8("xnope") };

        await Assert.ThrowsAnyAsync<IOException>(() => _client.Client.PutValueAsync(_server.PeerId, invalid, Timeouts.Token()));
        Assert.Equal(0, _server.Records.Count);
    }

    [Fact]
    public async Task Put_value_with_a_key_mismatch_resets_the_stream()
    {
        await using var stream = await RawKadStream.OpenAsync(_client, _server);
        var request = new Message
        {
            Type = Message.Types.MessageType.PutValue,
            Key = ByteString.CopyFromUtf8("/test/one"),
            Record = new Record { Key = ByteString.CopyFromUtf8("/test/two"), Value = ByteString.CopyFromUtf8("v") },
        };

        await stream.WriteMessageAsync(request, Timeouts.Token());

        await RawKadStream.AssertResetAsync(stream);
        Assert.Equal(0, _server.Records.Count);
    }

    [Fact]
    public async Task Add_provider_gets_no_reply_and_the_next_request_on_the_stream_sees_it()
    {
        var key = Multihash.Sha256("block"u8);
        await using var stream = await RawKadStream.OpenAsync(_client, _server);
        var add = new Message { Type = Message.Types.MessageType.AddProvider, Key = ByteString.CopyFrom(key) };
        add.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(_client.PeerId, _client.Host.ListenAddresses)));

        await stream.WriteMessageAsync(add, Timeouts.Token());
        var reply = await RawKadStream.RoundTripAsync(stream, new Message { Type = Message.Types.MessageType.GetProviders, Key = ByteString.CopyFrom(key) });

        // The first message back answers GET_PROVIDERS: ADD_PROVIDER got nothing.
        Assert.Equal(Message.Types.MessageType.GetProviders, reply.Type);
        var provider = KadPeerCodec.TryFromProto(Assert.Single(reply.ProviderPeers))!;
        Assert.Equal(_client.PeerId, provider.PeerId);
        Assert.Equal(_client.Host.ListenAddresses, provider.Addresses);
        Assert.Equal(Message.Types.ConnectionType.Connected, provider.Connection);
    }

    [Fact]
    public async Task Typed_add_provider_then_get_providers()
    {
        var key = Multihash.Sha256("typed"u8);
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Providers.Added += (k, _) =>
        {
            if (k.AsSpan().SequenceEqual(key))
            {
                added.TrySetResult();
            }
        };

        await _client.Client.AddProviderAsync(_server.PeerId, key, _client.Host.ListenAddresses, Timeouts.Token());
        await added.Task.WaitAsync(Timeouts.Test);
        var reply = await _client.Client.GetProvidersAsync(_server.PeerId, key, Timeouts.Token());

        Assert.Equal(_client.PeerId, Assert.Single(reply.Providers).PeerId);
        Assert.Equal(20, reply.CloserPeers.Count);
    }

    [Fact]
    public async Task A_forged_provider_is_ignored_and_alone_resets_the_stream()
    {
        var key = Multihash.Sha256("forged"u8);
        var victim = _known[0];
        await using (var stream = await RawKadStream.OpenAsync(_client, _server))
        {
            var forged = new Message { Type = Message.Types.MessageType.AddProvider, Key = ByteString.CopyFrom(key) };
            forged.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(victim, [Multiaddress.Parse("/ip4/6.6.6.6/tcp/1")])));
            await stream.WriteMessageAsync(forged, Timeouts.Token());
            await RawKadStream.AssertResetAsync(stream);
        }
        await using (var stream = await RawKadStream.OpenAsync(_client, _server))
        {
            var mixed = new Message { Type = Message.Types.MessageType.AddProvider, Key = ByteString.CopyFrom(key) };
            mixed.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(victim, [Multiaddress.Parse("/ip4/6.6.6.6/tcp/1")])));
            mixed.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(_client.PeerId, _client.Host.ListenAddresses)));
            await stream.WriteMessageAsync(mixed, Timeouts.Token());
            var reply = await RawKadStream.RoundTripAsync(stream, new Message { Type = Message.Types.MessageType.GetProviders, Key = ByteString.CopyFrom(key) });

            Assert.Equal(_client.PeerId, KadPeerCodec.TryFromProto(Assert.Single(reply.ProviderPeers))!.PeerId);
        }
    }

    [Fact]
    public async Task Many_requests_on_one_stream_are_answered_in_order_then_the_stream_closes_cleanly()
    {
        await using var stream = await RawKadStream.OpenAsync(_client, _server);
        for (var i = 0; i < 60; i++)
        {
            var type = (i % 3) switch
            {
                0 => Message.Types.MessageType.FindNode,
                1 => Message.Types.MessageType.GetValue,
                _ => Message.Types.MessageType.Ping,
            };
            var key = _known[i % _known.Count].ToBytes();

            var reply = await RawKadStream.RoundTripAsync(stream, new Message { Type = type, Key = ByteString.CopyFrom(key) });

            Assert.Equal(type, reply.Type);
            if (type == Message.Types.MessageType.FindNode)
            {
                Assert.Equal(_known[i % _known.Count], PeerId.FromBytes(reply.CloserPeers[0].Id.Span));
            }
        }
        await stream.CloseWriteAsync(Timeouts.Token());

        Assert.Null(await RawKadStream.ReadAsync(stream));
    }

    [Theory]
    [InlineData("unknown type")]
    [InlineData("garbage")]
    [InlineData("malformed length")]
    [InlineData("oversized")]
    [InlineData("truncated")]
    [InlineData("long provider key")]
    [InlineData("empty find node")]
    public async Task Bad_requests_reset_the_stream_and_the_server_keeps_serving(string kind)
    {
        await using (var stream = await RawKadStream.OpenAsync(_client, _server))
        {
            switch (kind)
            {
                case "unknown type":
                    await stream.WriteMessageAsync(new Message { Type = (Message.Types.MessageType)42, Key = ByteString.CopyFromUtf8("k") }, Timeouts.Token());
                    break;
                case "garbage":
                    await RawKadStream.WriteFramedAsync(stream, [0xff, 0xff, 0xff, 0x01, 0x02, 0x03]);
                    break;
                case "malformed length":
                    await RawKadStream.WriteRawAsync(stream, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
                    break;
                case "oversized":
                    // Announces 4 MiB + 1: refused on the length alone, before anything is allocated.
                    var prefix = new byte[Varint.SizeOf(KademliaDefaults.MaxMessageSize + 1)];
                    Varint.Write(prefix, KademliaDefaults.MaxMessageSize + 1);
                    await RawKadStream.WriteRawAsync(stream, [.. prefix, 0x08, 0x04]);
                    break;
                case "truncated":
                    await RawKadStream.WriteRawAsync(stream, [0x10, 0x08, 0x04]);
                    await stream.CloseWriteAsync(Timeouts.Token());
                    break;
                case "long provider key":
                    await stream.WriteMessageAsync(new Message { Type = Message.Types.MessageType.GetProviders, Key = ByteString.CopyFrom(new byte[81]) }, Timeouts.Token());
                    break;
                case "empty find node":
                    await stream.WriteMessageAsync(new Message { Type = Message.Types.MessageType.FindNode }, Timeouts.Token());
                    break;
            }
            await RawKadStream.AssertResetAsync(stream);
        }

        var closer = await _client.Client.FindNodeAsync(_server.PeerId, _known[1], Timeouts.Token());
        Assert.Equal(_known[1], closer[0].PeerId);
    }

    [Fact]
    public async Task A_client_mode_node_does_not_advertise_or_accept_the_protocol()
    {
        await _server.Host.DialAsync(_client.DialAddress, Timeouts.Token());
        var info = await _server.Host.Identify.WaitForPeerAsync(_client.PeerId, Timeouts.Token());

        Assert.DoesNotContain(KademliaDefaults.ProtocolId, info.Protocols);
        Assert.DoesNotContain(KademliaDefaults.ProtocolId, _client.Host.Protocols);
        Assert.Contains(KademliaDefaults.ProtocolId, _server.Host.Protocols);
        await Assert.ThrowsAnyAsync<Exception>(() => _server.Client.FindNodeAsync(_client.PeerId, _known[0], Timeouts.Token()));
    }

    [Fact]
    public async Task Switching_mode_updates_identify_on_connected_peers()
    {
        await _client.ConnectAsync(_server);
        var withdrawn = KadTestNode.WhenIdentified(_client.Host, _server.PeerId, i => !i.Protocols.Contains(KademliaDefaults.ProtocolId));

        _server.Server.SetMode(KadMode.Client);

        await withdrawn.WaitAsync(Timeouts.Test);
        await Assert.ThrowsAnyAsync<Exception>(() => _client.Client.FindNodeAsync(_server.PeerId, _known[0], Timeouts.Token()));

        var restored = KadTestNode.WhenIdentified(_client.Host, _server.PeerId, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
        _server.Server.SetMode(KadMode.Server);
        await restored.WaitAsync(Timeouts.Test);
        Assert.NotEmpty(await _client.Client.FindNodeAsync(_server.PeerId, _known[0], Timeouts.Token()));
    }

    [Fact]
    public async Task The_protocol_id_is_a_setting()
    {
        var options = new KadOptions { Mode = KadMode.Server, ProtocolId = "/dione/kad/1.0.0" };
        await using var dione = await KadTestNode.StartAsync(options);
        await using var asker = await KadTestNode.StartAsync(options with { Mode = KadMode.Client });
        dione.Know(_server);
        asker.Host.Peers.AddAddresses(dione.PeerId, dione.Host.ListenAddresses);

        var closer = await asker.Client.FindNodeAsync(dione.PeerId, _server.PeerId, Timeouts.Token());

        Assert.Contains("/dione/kad/1.0.0", dione.Host.Protocols);
        Assert.DoesNotContain(KademliaDefaults.ProtocolId, dione.Host.Protocols);
        Assert.Equal(_server.PeerId, closer[0].PeerId);
        await Assert.ThrowsAnyAsync<Exception>(() => _client.Client.FindNodeAsync(dione.PeerId, _server.PeerId, Timeouts.Token()).WaitAsync(Timeouts.Test));
    }
}
