using System.Collections.Concurrent;
using Dione.Messenger.Protos;
using Dione.Messenger.Store;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;
using Status = Dione.Messenger.Protos.StoreResponse.Types.Status;

namespace Dione.Messenger.Tests.Store;

/// <summary>The test-only <see cref="IStoreObserver"/> a soak run reads to find two envelopes at one address.</summary>
public sealed class StoreObserverTests
{
    [Fact]
    public async Task Every_STORE_reaches_the_observer_with_its_outcome_before_the_answer_refused_ones_included()
    {
        var observer = new RecordingObserver();
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

    private sealed class RecordingObserver : IStoreObserver
    {
        public ConcurrentQueue<(byte[] Envelope, Status Outcome)> Seen { get; } = new();

        public void StoreAnswered(ReadOnlyMemory<byte> envelope, StoreResponse response) => Seen.Enqueue((envelope.ToArray(), response.Status));
    }
}
