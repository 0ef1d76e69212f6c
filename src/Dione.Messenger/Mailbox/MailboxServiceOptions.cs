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

    /// <summary>
    /// Whether a person's mailbox traffic (STORE, FETCH, DELETE and the lookups that find holders) goes out under
    /// throwaway libp2p identities, one per <see cref="MailboxTraffic"/>, instead of the node's own peer id (see
    /// docs/protocol.md §14.6). On by default; off only to measure what it costs.
    /// </summary>
    public bool EphemeralIdentities { get; init; } = true;

    /// <summary>How long one throwaway identity is used before a fresh one replaces it.</summary>
    public TimeSpan EphemeralIdentityLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Idle connections each throwaway identity keeps open (three identities, so three times this at most beyond those
    /// carrying a request): reused connections spare a handshake per request, and the cap keeps the extra
    /// connections well under the host's connection limit (512) at the holders and here.
    /// </summary>
    public int MaxEphemeralConnections { get; init; } = 32;

    /// <summary>
    /// How long a throwaway identity keeps a connection with no stream open: older idle ones are closed as requests
    /// end, so holders are not left with idle connections from every person who once asked them something (a holder
    /// has 512 connections for everyone). The next request there opens a new one.
    /// </summary>
    public TimeSpan EphemeralConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Test-only: told of every STORE this node's store answers (see <see cref="IStoreObserver"/>); none when null.</summary>
    public IStoreObserver? StoreObserver { get; init; }
}
