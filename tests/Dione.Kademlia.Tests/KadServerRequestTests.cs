using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests;

/// <summary>The server's answers to each request type, called directly (no streams).</summary>
public sealed class KadServerRequestTests : IAsyncLifetime
{
    private static readonly PeerId Requester = RandomPeers.Next(new Random(500));
    private KadTestNode _node = null!;
    private List<PeerId> _known = null!;

    public async Task InitializeAsync()
    {
        _node = await KadTestNode.StartAsync();
        _known = RandomPeers.Many(501, 60);
        foreach (var (peer, i) in _known.Select((p, i) => (p, i)))
        {
            _node.Host.Peers.AddAddresses(peer, [Multiaddress.Parse($"/ip4/10.0.{i / 256}.{i % 256}/tcp/4001")]);
            _node.Table.TryAdd(peer);
        }
        _node.Host.Peers.AddAddresses(Requester, [Multiaddress.Parse("/ip4/10.9.9.9/tcp/4001")]);
        _node.Table.TryAdd(Requester);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Find_node_returns_the_k_closest_with_addresses_without_the_requester()
    {
        var key = RandomPeers.Next(new Random(502)).ToBytes();

        var reply = (await Handle(Request(Message.Types.MessageType.FindNode, key)))!;

        var expected = _node.Table.NearestPeers(KadId.FromKey(key), 100).Select(e => e.PeerId).Where(p => p != Requester).Take(20);
        Assert.Equal(Message.Types.MessageType.FindNode, reply.Type);
        Assert.True(reply.Key.IsEmpty); // as go and js
        Assert.Equal(expected, reply.CloserPeers.Select(p => PeerId.FromBytes(p.Id.Span)));
        Assert.All(reply.CloserPeers, p => Assert.Single(p.Addrs));
        Assert.All(reply.CloserPeers, p => Assert.Equal(Message.Types.ConnectionType.NotConnected, p.Connection));
    }

    [Fact]
    public async Task Peers_without_addresses_are_not_returned()
    {
        var addressless = RandomPeers.Many(503, 30);
        foreach (var peer in addressless)
        {
            _node.Table.TryAdd(peer);
        }

        var reply = (await Handle(Request(Message.Types.MessageType.FindNode, RandomPeers.Next(new Random(504)).ToBytes())))!;

        Assert.Equal(20, reply.CloserPeers.Count);
        Assert.DoesNotContain(reply.CloserPeers, p => addressless.Contains(PeerId.FromBytes(p.Id.Span)));
    }

    [Fact]
    public async Task Find_node_puts_a_target_with_known_addresses_first_even_outside_the_table()
    {
        var target = RandomPeers.Next(new Random(505));
        _node.Host.Peers.AddAddresses(target, [Multiaddress.Parse("/ip4/10.1.2.3/tcp/5")]);

        var reply = (await Handle(Request(Message.Types.MessageType.FindNode, target.ToBytes())))!;

        Assert.Equal(21, reply.CloserPeers.Count);
        Assert.Equal(target, PeerId.FromBytes(reply.CloserPeers[0].Id.Span));
        Assert.Equal("/ip4/10.1.2.3/tcp/5", Multiaddress.FromBytes(reply.CloserPeers[0].Addrs[0].Span).ToString());
    }

    [Fact]
    public async Task Find_node_of_our_own_id_answers_with_ourselves_first()
    {
        var reply = (await Handle(Request(Message.Types.MessageType.FindNode, _node.PeerId.ToBytes())))!;

        Assert.Equal(_node.PeerId, PeerId.FromBytes(reply.CloserPeers[0].Id.Span));
        Assert.Equal(_node.Host.ListenAddresses, reply.CloserPeers[0].Addrs.Select(a => Multiaddress.FromBytes(a.Span)));
        Assert.Equal(21, reply.CloserPeers.Count);
        Assert.Single(reply.CloserPeers, p => PeerId.FromBytes(p.Id.Span) == _node.PeerId);
    }

    [Fact]
    public async Task Find_node_for_an_unknown_target_or_a_non_peer_key_returns_the_closest_only()
    {
        var unknown = await Handle(Request(Message.Types.MessageType.FindNode, RandomPeers.Next(new Random(506)).ToBytes()));
        var notAPeer = await Handle(Request(Message.Types.MessageType.FindNode, "just some key"u8.ToArray()));

        Assert.Equal(20, unknown!.CloserPeers.Count);
        Assert.Equal(20, notAPeer!.CloserPeers.Count);
    }

    [Fact]
    public async Task Get_value_returns_the_stored_record_and_closer_peers()
    {
        var key = "/test/a"u8.ToArray();
        await _node.Records.PutAsync(new Record { Key = ByteString.CopyFrom(key), Value = ByteString.CopyFromUtf8("v1"), TimeReceived = "t" }, default);

        var found = (await Handle(Request(Message.Types.MessageType.GetValue, key)))!;
        var missing = (await Handle(Request(Message.Types.MessageType.GetValue, "/test/b"u8.ToArray())))!;

        Assert.Equal("v1", found.Record.Value.ToStringUtf8());
        Assert.Equal(key, found.Key.ToByteArray());
        Assert.Equal(20, found.CloserPeers.Count);
        Assert.Null(missing.Record);
        Assert.Equal(20, missing.CloserPeers.Count);
    }

    [Fact]
    public async Task Put_value_stores_a_valid_record_with_its_receive_time_and_echoes_the_request()
    {
        var request = PutRequest("/test/p", "v1");
        request.CloserPeers.Add(KadPeerCodec.ToProto(new KadPeer(_known[0])));
        request.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(_known[1])));
        var before = DateTimeOffset.UtcNow;

        var reply = (await Handle(request))!;

        var stored = (await _node.Records.GetAsync("/test/p"u8.ToArray(), default))!;
        Assert.Equal("v1", stored.Value.ToStringUtf8());
        Assert.True(RecordTimestamp.TryParse(stored.TimeReceived, out var received));
        Assert.InRange(received, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.EndsWith("Z", stored.TimeReceived, StringComparison.Ordinal);
        Assert.Equal(request.Record, reply.Record); // echoed as sent, not as stored
        Assert.Empty(reply.CloserPeers);
        Assert.Empty(reply.ProviderPeers);
    }

    [Fact]
    public async Task Put_value_keeps_the_better_record()
    {
        await Handle(PutRequest("/test/s", "v2"));

        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(PutRequest("/test/s", "v1")));
        Assert.Equal("v2", (await _node.Records.GetAsync("/test/s"u8.ToArray(), default))!.Value.ToStringUtf8());

        await Handle(PutRequest("/test/s", "v3"));
        Assert.Equal("v3", (await _node.Records.GetAsync("/test/s"u8.ToArray(), default))!.Value.ToStringUtf8());
    }

    [Fact]
    public async Task An_invalid_stored_record_is_replaced()
    {
        await _node.Records.PutAsync(new Record { Key = ByteString.CopyFromUtf8("/test/i"), Value = ByteString.CopyFromUtf8("zz-but-invalid") }, default);
        await _node.Records.PutAsync(new Record { Key = ByteString.CopyFromUtf8("/test/j"), Value = ByteString.CopyFromUtf8("xx") }, default);

        await Handle(PutRequest("/test/j", "a"));

        Assert.Equal("a", (await _node.Records.GetAsync("/test/j"u8.ToArray(), default))!.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Put_value_refuses_mismatched_keys_missing_records_and_invalid_values()
    {
        var mismatch = PutRequest("/test/k", "v");
        mismatch.Key = ByteString.CopyFromUtf8("/test/other");
        var noRecord = Request(Message.Types.MessageType.PutValue, "/test/k"u8.ToArray());
        var noKey = PutRequest("", "v");

        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(mismatch));
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(noRecord));
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(noKey));
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(PutRequest("/test/k", "xbad")));
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(PutRequest("/other/k", "v")));
        Assert.Equal(0, _node.Records.Count);
    }

    [Fact]
    public async Task Add_provider_stores_the_sender_only_and_sends_no_reply()
    {
        var key = Multihash("content");
        var forged = RandomPeers.Next(new Random(507));
        var request = Request(Message.Types.MessageType.AddProvider, key);
        request.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(forged, [Multiaddress.Parse("/ip4/6.6.6.6/tcp/1")])));
        request.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(Requester, [Multiaddress.Parse("/ip4/10.9.9.9/tcp/4001")])));

        var reply = await Handle(request);

        Assert.Null(reply);
        var providers = await _node.Providers.GetAsync(key, 10, default);
        var provider = Assert.Single(providers);
        Assert.Equal(Requester, provider.PeerId);
        Assert.Equal("/ip4/10.9.9.9/tcp/4001", provider.Addresses.Single().ToString());
    }

    [Fact]
    public async Task Add_provider_with_only_forged_or_addressless_entries_is_refused()
    {
        var key = Multihash("content");
        var forged = Request(Message.Types.MessageType.AddProvider, key);
        forged.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(_known[0], [Multiaddress.Parse("/ip4/6.6.6.6/tcp/1")])));
        var addressless = Request(Message.Types.MessageType.AddProvider, key);
        addressless.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(Requester)));
        var garbageAddress = Request(Message.Types.MessageType.AddProvider, key);
        garbageAddress.ProviderPeers.Add(new Message.Types.Peer { Id = ByteString.CopyFrom(Requester.Bytes), Addrs = { ByteString.CopyFrom(0xff, 0xff) } });
        var none = Request(Message.Types.MessageType.AddProvider, key);

        foreach (var request in new[] { forged, addressless, garbageAddress, none })
        {
            await Assert.ThrowsAsync<KadProtocolException>(() => Handle(request));
        }
        Assert.Equal(0, _node.Providers.KeyCount);
    }

    [Theory]
    [InlineData(Message.Types.MessageType.AddProvider)]
    [InlineData(Message.Types.MessageType.GetProviders)]
    public async Task Provider_keys_must_be_1_to_80_bytes(Message.Types.MessageType type)
    {
        var provider = KadPeerCodec.ToProto(new KadPeer(Requester, [Multiaddress.Parse("/ip4/10.9.9.9/tcp/4001")]));
        var tooLong = Request(type, new byte[81]);
        tooLong.ProviderPeers.Add(provider);
        var empty = Request(type, []);
        empty.ProviderPeers.Add(provider);
        var longest = Request(type, new byte[80]);
        longest.ProviderPeers.Add(provider);

        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(tooLong));
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(empty));
        await Handle(longest);
    }

    [Fact]
    public async Task Get_providers_returns_stored_providers_and_closer_peers()
    {
        var key = Multihash("content");
        await _node.Providers.AddAsync(key, new KadPeer(_known[5], [Multiaddress.Parse("/ip4/10.0.0.5/tcp/4001")]), default);

        var reply = (await Handle(Request(Message.Types.MessageType.GetProviders, key)))!;
        var none = (await Handle(Request(Message.Types.MessageType.GetProviders, Multihash("other"))))!;

        Assert.Equal(key, reply.Key.ToByteArray());
        Assert.Equal(_known[5], PeerId.FromBytes(Assert.Single(reply.ProviderPeers).Id.Span));
        Assert.Equal(20, reply.CloserPeers.Count);
        Assert.Empty(none.ProviderPeers);
    }

    [Fact]
    public async Task Ping_is_echoed_without_peers()
    {
        var ping = Request(Message.Types.MessageType.Ping, []);
        ping.ClusterLevelRaw = 3;
        ping.CloserPeers.Add(KadPeerCodec.ToProto(new KadPeer(_known[0])));

        var reply = (await Handle(ping))!;

        Assert.Equal(Message.Types.MessageType.Ping, reply.Type);
        Assert.Equal(3, reply.ClusterLevelRaw);
        Assert.Empty(reply.CloserPeers);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(-1)]
    [InlineData(1000)]
    public async Task Unknown_types_are_refused(int type)
    {
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(Request((Message.Types.MessageType)type, "k"u8.ToArray())));
    }

    [Fact]
    public async Task Requests_without_a_key_are_refused()
    {
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(Request(Message.Types.MessageType.FindNode, [])));
        await Assert.ThrowsAsync<KadProtocolException>(() => Handle(Request(Message.Types.MessageType.GetValue, [])));
    }

    [Fact]
    public async Task A_hundred_thousand_mutated_requests_get_an_answer_or_a_clean_refusal()
    {
        var provider = KadPeerCodec.ToProto(new KadPeer(Requester, [Multiaddress.Parse("/ip4/10.9.9.9/tcp/4001"), Multiaddress.Parse("/dns4/a.example/tcp/443/wss")]));
        var add = Request(Message.Types.MessageType.AddProvider, Multihash("c"));
        add.ProviderPeers.Add(provider);
        var withPeers = Request(Message.Types.MessageType.GetValue, "/test/x"u8.ToArray());
        withPeers.CloserPeers.Add(provider);
        var corpus = new List<byte[]>
        {
            Request(Message.Types.MessageType.FindNode, _known[3].ToBytes()).ToByteArray(),
            Request(Message.Types.MessageType.FindNode, _node.PeerId.ToBytes()).ToByteArray(),
            Request(Message.Types.MessageType.GetValue, "/test/a"u8.ToArray()).ToByteArray(),
            PutRequest("/test/m", "value").ToByteArray(),
            add.ToByteArray(),
            Request(Message.Types.MessageType.GetProviders, Multihash("c")).ToByteArray(),
            Request(Message.Types.MessageType.Ping, []).ToByteArray(),
            withPeers.ToByteArray(),
        };

        var mutator = new SeededMutator(11);
        var tally = await MutationTally.RunAsync(null, 100_000, () => mutator.Next(corpus),
            input => _node.Server.HandleRequestBytesAsync(Requester, input, default),
            typeof(KadProtocolException));

        Assert.InRange(tally[MutationTally.Accepted], 1000, 99_000);
    }

    private Task<Message?> Handle(Message request) => _node.Server.HandleRequestAsync(Requester, request, default);

    private static Message Request(Message.Types.MessageType type, byte[] key) => new() { Type = type, Key = ByteString.CopyFrom(key) };

    private static Message PutRequest(string key, string value) => new()
    {
        Type = Message.Types.MessageType.PutValue,
        Key = ByteString.CopyFromUtf8(key),
        Record = new Record { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) },
    };

    private static byte[] Multihash(string content) => Libp2p.Multiformats.Multihash.Sha256(System.Text.Encoding.UTF8.GetBytes(content));
}
