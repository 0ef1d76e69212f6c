using Dione.Kademlia.Lookup;
using Dione.Kademlia.Records;

namespace Dione.Kademlia.Dht;

/// <summary>Settings of a <see cref="KademliaDht"/>. Every interval is a setting so tests can shorten it.</summary>
public sealed record KademliaDhtOptions
{
    /// <summary>Protocol id, sizes and timeouts of server, client and routing table (<see cref="KadOptions.Mode"/> is ignored: see <see cref="Mode"/>).</summary>
    public KadOptions Kad { get; init; } = new();

    /// <summary>Client, server, or auto (server once a public address is known).</summary>
    public DhtMode Mode { get; init; } = DhtMode.Auto;

    /// <summary>Lookup parameters (k, alpha, request and lookup timeouts, quorum).</summary>
    public LookupOptions Lookup { get; init; } = new();

    /// <summary>SQLite database holding records and providers: a file path, or <c>:memory:</c> (lost on dispose).</summary>
    public string DatabasePath { get; init; } = ":memory:";

    public SqliteRecordStoreOptions RecordStore { get; init; } = new();

    public SqliteProviderStoreOptions ProviderStore { get; init; } = new();

    /// <summary>
    /// Addresses to put in our provider records instead of the host's advertised ones: for a node that announces on
    /// behalf of a node of the same identity listening elsewhere (the CLI's short-lived nodes do, for the daemon).
    /// </summary>
    public IReadOnlyList<Dione.Libp2p.Multiformats.Multiaddr.Multiaddress>? AnnouncedAddresses { get; init; }

    /// <summary>A bucket not looked up for this long is refreshed with a lookup of a random id in it (10 minutes).</summary>
    public TimeSpan BucketRefreshInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the background loop looks for buckets due for refresh.</summary>
    public TimeSpan RefreshCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often expired records and providers are pruned from the stores (hourly).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after its last announcement a key we provide is announced again (22 hours, under the 48 h provider
    /// lifetime; go-libp2p-kad-dht's <c>amino.DefaultReprovideInterval</c>). The keys and their last announcement are
    /// kept in <see cref="DatabasePath"/>, so a restarted node announces again what is due.
    /// </summary>
    public TimeSpan ProviderRepublishInterval { get; init; } = TimeSpan.FromHours(22);

    /// <summary>
    /// How often the background loop looks for provided keys due for announcement (10 minutes); it also looks right
    /// after a bootstrap that connected, so keys that fell due while the node was down go out at once.
    /// </summary>
    public TimeSpan ProviderRepublishCheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Keys we provide, at most (the provider store's default bound on keys).</summary>
    public int MaxProvidedKeys { get; init; } = SqliteProvidedKeyStore.DefaultMaxKeys;

    /// <summary>Time for dialling one bootstrap peer and waiting for its identify.</summary>
    public TimeSpan BootstrapDialTimeout { get; init; } = KademliaDefaults.RequestTimeout;

    /// <summary>Providers a find-providers yields at most, unless the caller asks for another bound.</summary>
    public int MaxProvidersPerLookup { get; init; } = 20;

    /// <exception cref="ArgumentException">a setting is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Kad);
        ArgumentNullException.ThrowIfNull(Lookup);
        ArgumentNullException.ThrowIfNull(RecordStore);
        ArgumentNullException.ThrowIfNull(ProviderStore);
        ArgumentException.ThrowIfNullOrEmpty(DatabasePath);
        Kad.Validate();
        Lookup.Validate();
        if (BucketRefreshInterval <= TimeSpan.Zero || RefreshCheckInterval <= TimeSpan.Zero || PruneInterval <= TimeSpan.Zero
            || ProviderRepublishInterval <= TimeSpan.Zero || ProviderRepublishCheckInterval <= TimeSpan.Zero || BootstrapDialTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("DHT intervals must be positive");
        }
        if (MaxProvidersPerLookup < 1 || MaxProvidedKeys < 1)
        {
            throw new ArgumentException("MaxProvidersPerLookup and MaxProvidedKeys must be positive");
        }
    }
}
