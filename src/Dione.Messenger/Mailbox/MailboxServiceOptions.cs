using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Messenger.Overlay;
using Dione.Messenger.Store;

namespace Dione.Messenger.Mailbox;

/// <summary>Settings of a <see cref="MailboxService"/>.</summary>
public sealed record MailboxServiceOptions
{
    /// <summary>SQLite database for the envelopes held for others: a file path, or <c>:memory:</c>.</summary>
    public string DatabasePath { get; init; } = ":memory:";

    public EnvelopeStoreOptions Store { get; init; } = new();

    public DioneOverlayOptions Overlay { get; init; } = new();

    /// <summary>Settings of the overlay's DHT (protocol id and mode are set by the overlay).</summary>
    public KademliaDhtOptions OverlayDht { get; init; } = new();

    /// <summary>How often expired envelopes are removed.</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Requests per second a peer may make of the store, and the burst allowed: enough for a person sending a thousand
    /// messages at once, while a flood is held to the rate (its envelopes are bounded by the store's quotas anyway).
    /// </summary>
    public double RequestsPerSecondPerPeer { get; init; } = 200;

    public int RequestBurstPerPeer { get; init; } = 2_000;

    /// <summary>Test-only: told of every STORE this node's store answers (see <see cref="IStoreObserver"/>); none when null.</summary>
    public IStoreObserver? StoreObserver { get; init; }
}
