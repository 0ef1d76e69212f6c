using Dione.Libp2p.Framing;
using Dione.Messenger.Protos;
using Dione.Messenger.Store;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;
using Status = Dione.Messenger.Protos.StoreResponse.Types.Status;

namespace Dione.Messenger.Tests.Store;

/// <summary><c>/dione/1.0</c> between two real hosts over TCP on 127.0.0.1.</summary>
public sealed class DioneStoreProtocolTests
{
    [Fact]
    public async Task Store_fetch_and_delete_over_tcp()
    {
        await using var holder = await StoreNode.StartAsync();
        await using var sender = await StoreNode.StartAsync();
        await using var receiver = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await sender.Host.DialAsync(holder.DialAddress, ct);
        await receiver.Host.DialAsync(holder.DialAddress, ct);
        var (envelope, token) = TestEnvelopes.Create(DateTimeOffset.UtcNow);

        var stored = await sender.Client.StoreAsync(holder.Host.PeerId, envelope.ToByteArray(), ct);
        var fetched = await receiver.Client.FetchAsync(holder.Host.PeerId, [envelope.Address.Memory, new byte[32]], ct);
        var deleted = await receiver.Client.DeleteAsync(holder.Host.PeerId, envelope.Address.Memory, token, ct);
        var after = await receiver.Client.FetchAsync(holder.Host.PeerId, [envelope.Address.Memory], ct);

        Assert.True(stored.IsOk, stored.Reason);
        Assert.Equal(envelope.ToByteArray(), Assert.Single(fetched));
        Assert.True(deleted.IsOk, deleted.Reason);
        Assert.Empty(after);
    }

    [Fact]
    public async Task A_node_that_does_not_hold_the_address_refuses_to_store_or_serve_it()
    {
        await using var holder = await StoreNode.StartAsync(holds: _ => false);
        await using var sender = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await sender.Host.DialAsync(holder.DialAddress, ct);
        var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);

        var stored = await sender.Client.StoreAsync(holder.Host.PeerId, envelope.ToByteArray(), ct);

        Assert.Equal(Status.NotClosest, stored.Status);
        Assert.Empty(await sender.Client.FetchAsync(holder.Host.PeerId, [envelope.Address.Memory], ct));
        Assert.Equal(0, holder.Store.Count);
    }

    [Fact]
    public async Task Store_quotas_count_per_connection_under_a_ceiling_per_ip_address_whatever_the_peer_id()
    {
        await using var holder = await StoreNode.StartAsync(options: new EnvelopeStoreOptions { MaxEnvelopesPerConnection = 3, MaxEnvelopesPerIpPerDay = 5 });
        await using var first = await StoreNode.StartAsync();
        await using var second = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await first.Host.DialAsync(holder.DialAddress, ct);
        await second.Host.DialAsync(holder.DialAddress, ct);
        Task<StoreOutcome> StoreFrom(StoreNode storer) => storer.Client.StoreAsync(holder.Host.PeerId, TestEnvelopes.Bytes(DateTimeOffset.UtcNow), ct);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await StoreFrom(first)).IsOk);
        }
        var connectionFull = await StoreFrom(first);
        await first.Host.DisconnectAsync(holder.Host.PeerId);
        var afterReconnecting = new[] { await StoreFrom(first), await StoreFrom(first) };
        var addressFull = await StoreFrom(first);
        var otherPeerSameAddress = await StoreFrom(second);

        Assert.Equal(Status.QuotaExceeded, connectionFull.Status);
        Assert.Contains("connection", connectionFull.Reason);
        Assert.All(afterReconnecting, outcome => Assert.True(outcome.IsOk, outcome.Reason));
        Assert.Equal(Status.QuotaExceeded, addressFull.Status);
        Assert.Contains("IP address", addressFull.Reason);
        Assert.Equal(Status.QuotaExceeded, otherPeerSameAddress.Status);
        Assert.Contains("IP address", otherPeerSameAddress.Reason);
        Assert.Equal(5, holder.Store.Count);
    }

    [Fact]
    public async Task A_flooding_peer_is_rate_limited_while_another_is_served()
    {
        await using var holder = await StoreNode.StartAsync(rateLimiter: new PeerRateLimiter(perSecond: 0.001, burst: 5));
        await using var flooder = await StoreNode.StartAsync();
        await using var polite = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await flooder.Host.DialAsync(holder.DialAddress, ct);
        await polite.Host.DialAsync(holder.DialAddress, ct);

        var outcomes = new List<Status>();
        for (var i = 0; i < 8; i++)
        {
            outcomes.Add((await flooder.Client.StoreAsync(holder.Host.PeerId, TestEnvelopes.Bytes(DateTimeOffset.UtcNow), ct)).Status);
        }
        var politeOutcome = await polite.Client.StoreAsync(holder.Host.PeerId, TestEnvelopes.Bytes(DateTimeOffset.UtcNow), ct);

        Assert.Equal(5, outcomes.Count(s => s == Status.Ok));
        Assert.Equal(3, outcomes.Count(s => s == Status.RateLimited));
        Assert.True(politeOutcome.IsOk);
        Assert.Equal(6, holder.Store.Count);
    }

    [Fact]
    public async Task Garbage_on_the_stream_resets_it_and_the_server_keeps_serving()
    {
        await using var holder = await StoreNode.StartAsync();
        await using var other = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await other.Host.DialAsync(holder.DialAddress, ct);

        await using (var raw = await other.Host.NewStreamAsync(holder.Host.PeerId, [DioneStoreProtocol.Id], ct))
        {
            await LengthPrefixed.WriteAsync(raw.Stream, new byte[] { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, ct);
            await raw.Stream.WriteAsync(new byte[] { 0x0a, 0xff }, ct);
            await raw.Stream.FlushAsync(ct);
            var buffer = new byte[64];
            await Assert.ThrowsAnyAsync<IOException>(async () =>
            {
                while (await raw.Stream.ReadAsync(buffer, ct) > 0)
                {
                }
                throw new IOException("closed");
            });
        }

        var stored = await other.Client.StoreAsync(holder.Host.PeerId, TestEnvelopes.Bytes(DateTimeOffset.UtcNow), ct);
        Assert.True(stored.IsOk, stored.Reason);
    }

    [Fact]
    public async Task Bad_requests_get_a_reason_not_a_reset()
    {
        await using var holder = await StoreNode.StartAsync();
        var from = TestPeers.Random();
        var ct = Timeouts.Token();

        var noEnvelope = await holder.Server.HandleAsync(from, new StoreRequest { Type = StoreRequest.Types.Type.Store }, ct);
        var noAddresses = await holder.Server.HandleAsync(from, new StoreRequest { Type = StoreRequest.Types.Type.Fetch }, ct);
        var tooMany = new StoreRequest { Type = StoreRequest.Types.Type.Fetch };
        tooMany.Addresses.AddRange(Enumerable.Range(0, holder.Store.Options.MaxFetchAddresses + 1).Select(_ => ByteString.CopyFrom(new byte[32])));
        var shortAddress = new StoreRequest { Type = StoreRequest.Types.Type.Fetch };
        shortAddress.Addresses.Add(ByteString.CopyFrom(new byte[5]));
        var deleteWithoutToken = new StoreRequest { Type = StoreRequest.Types.Type.Delete };
        deleteWithoutToken.Addresses.Add(ByteString.CopyFrom(new byte[32]));

        Assert.Equal(Status.BadRequest, noEnvelope.Status);
        Assert.Equal(Status.BadRequest, noAddresses.Status);
        Assert.Equal(Status.BadRequest, (await holder.Server.HandleAsync(from, tooMany, ct)).Status);
        Assert.Equal(Status.BadRequest, (await holder.Server.HandleAsync(from, shortAddress, ct)).Status);
        Assert.Equal(Status.BadRequest, (await holder.Server.HandleAsync(from, deleteWithoutToken, ct)).Status);
        Assert.Equal(Status.BadRequest, (await holder.Server.HandleAsync(from, new StoreRequest { Type = (StoreRequest.Types.Type)7 }, ct)).Status);
        Assert.All(new[] { noEnvelope, noAddresses }, r => Assert.False(string.IsNullOrEmpty(r.Reason)));
    }

    [Fact]
    public async Task Mutated_requests_are_answered_or_refused_never_thrown()
    {
        await using var holder = await StoreNode.StartAsync(rateLimiter: new PeerRateLimiter(perSecond: 1e9, burst: 1_000_000));
        var from = TestPeers.Random();
        var now = DateTimeOffset.UtcNow;
        var (envelope, token) = TestEnvelopes.Create(now);
        var store = new StoreRequest { Type = StoreRequest.Types.Type.Store, Envelope = envelope.ToByteString() };
        var fetch = new StoreRequest { Type = StoreRequest.Types.Type.Fetch };
        fetch.Addresses.Add(envelope.Address);
        var delete = new StoreRequest { Type = StoreRequest.Types.Type.Delete, DeletionToken = ByteString.CopyFrom(token) };
        delete.Addresses.Add(envelope.Address);
        byte[][] corpus = [store.ToByteArray(), fetch.ToByteArray(), delete.ToByteArray()];
        var random = new Random(5101);
        var answered = 0;

        for (var i = 0; i < 20_000; i++)
        {
            var input = (byte[])corpus[random.Next(corpus.Length)].Clone();
            for (var flips = 1 + random.Next(4); flips > 0; flips--)
            {
                input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
            }
            StoreRequest request;
            try
            {
                request = StoreRequest.Parser.ParseFrom(input);
            }
            catch (InvalidProtocolBufferException)
            {
                continue;
            }
            var response = await holder.Server.HandleAsync(from, request, CancellationToken.None);
            Assert.True(response.Status == Status.Ok || !string.IsNullOrEmpty(response.Reason));
            answered++;
        }

        Assert.True(answered > 10_000, $"only {answered} mutated requests parsed");
        Assert.True(holder.Store.Count <= 20_000);
    }

    [Fact]
    public async Task A_waiting_fetch_is_answered_as_soon_as_the_envelope_is_stored()
    {
        await using var holder = await StoreNode.StartAsync();
        await using var sender = await StoreNode.StartAsync();
        await using var receiver = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await sender.Host.DialAsync(holder.DialAddress, ct);
        await receiver.Host.DialAsync(holder.DialAddress, ct);
        var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);

        // Waits longer than the test's own time limit: only the arrival can end it in time.
        var waiting = receiver.Client.FetchAsync(holder.Host.PeerId, [envelope.Address.Memory, new byte[32]], TimeSpan.FromSeconds(30), ct);
        while (holder.Server.WaitingFetches == 0)
        {
            await Task.Delay(10, ct);
        }
        Assert.False(waiting.IsCompleted);
        Assert.True((await sender.Client.StoreAsync(holder.Host.PeerId, envelope.ToByteArray(), ct)).IsOk);

        Assert.Equal(envelope.ToByteArray(), Assert.Single(await waiting.WaitAsync(TimeSpan.FromSeconds(10), ct)));
        Assert.Equal(0, holder.Server.WaitingFetches);
    }

    [Fact]
    public async Task A_waiting_fetch_ends_empty_when_its_time_is_up_or_when_the_client_leaves()
    {
        await using var holder = await StoreNode.StartAsync();
        await using var receiver = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await receiver.Host.DialAsync(holder.DialAddress, ct);

        Assert.Empty(await receiver.Client.FetchAsync(holder.Host.PeerId, [new byte[32]], TimeSpan.FromMilliseconds(200), ct));

        using var leave = new CancellationTokenSource();
        var abandoned = receiver.Client.FetchAsync(holder.Host.PeerId, [new byte[32]], TimeSpan.FromSeconds(30), leave.Token);
        while (holder.Server.WaitingFetches == 0)
        {
            await Task.Delay(10, ct);
        }
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        while (holder.Server.WaitingFetches > 0)
        {
            await Task.Delay(10, ct);
        }
    }

    [Fact]
    public async Task A_peer_cannot_hold_more_waiting_fetches_than_its_share()
    {
        await using var holder = await StoreNode.StartAsync(arrivals: new EnvelopeArrivals(maxPerPeer: 2, maxTotal: 16));
        await using var receiver = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await receiver.Host.DialAsync(holder.DialAddress, ct);
        var waits = Enumerable.Range(0, 2).Select(_ => receiver.Client.FetchAsync(holder.Host.PeerId, [new byte[32]], TimeSpan.FromSeconds(30), ct)).ToList();
        while (holder.Server.WaitingFetches < 2)
        {
            await Task.Delay(10, ct);
        }

        // The third is answered at once (empty) instead of waiting.
        Assert.Empty(await receiver.Client.FetchAsync(holder.Host.PeerId, [new byte[32]], TimeSpan.FromSeconds(30), ct).WaitAsync(TimeSpan.FromSeconds(10), ct));
        Assert.Equal(2, holder.Server.WaitingFetches);
        Assert.All(waits, w => Assert.False(w.IsCompleted));
    }

    [Fact]
    public async Task Every_STORE_reaches_the_observer_with_its_outcome_before_the_answer_refused_ones_included()
    {
        var observer = new RecordingStoreObserver();
        // Three requests allowed: a FETCH (not a STORE: not observed), then two STOREs; the third STORE is rate limited.
        await using var holder = await StoreNode.StartAsync(rateLimiter: new PeerRateLimiter(perSecond: 0.001, burst: 3), observer: observer);
        await using var sender = await StoreNode.StartAsync();
        var ct = Timeouts.Token();
        await sender.Host.DialAsync(holder.DialAddress, ct);
        var (first, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
        var other = first.Clone();
        other.Body = ByteString.CopyFromUtf8("another envelope at the same address");
        var third = TestEnvelopes.Bytes(DateTimeOffset.UtcNow);

        await sender.Client.FetchAsync(holder.Host.PeerId, [first.Address.Memory], ct);
        var outcomes = new List<Status>();
        foreach (var envelope in new[] { first.ToByteArray(), other.ToByteArray(), third })
        {
            outcomes.Add((await sender.Client.StoreAsync(holder.Host.PeerId, envelope, ct)).Status);
            Assert.Equal(outcomes.Count, observer.Seen.Count);
        }

        Assert.Equal([Status.Ok, Status.Conflict, Status.RateLimited], outcomes);
        Assert.Equal(outcomes, observer.Seen.Select(s => s.Outcome));
        Assert.Equal([first.ToByteArray(), other.ToByteArray(), third], observer.Seen.Select(s => s.Envelope));
    }

    /// <summary>The test-only <see cref="IStoreObserver"/> a soak run logs with: what it was told, in order.</summary>
    private sealed class RecordingStoreObserver : IStoreObserver
    {
        private readonly List<(byte[] Envelope, Status Outcome)> _seen = [];

        public IReadOnlyList<(byte[] Envelope, Status Outcome)> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public void StoreAnswered(ReadOnlyMemory<byte> envelope, StoreResponse response)
        {
            lock (_seen)
            {
                _seen.Add((envelope.ToArray(), response.Status));
            }
        }
    }
}
