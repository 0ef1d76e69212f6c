using Dione.Kademlia.Records;

namespace Dione.Kademlia;

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

    /// <summary>A bucket not looked up for this long is refreshed with a lookup of a random id in it (10 minutes).</summary>
    public TimeSpan BucketRefreshInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the background loop looks for buckets due for refresh.</summary>
    public TimeSpan RefreshCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often expired records and providers are pruned from the stores (hourly).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often our own provider records are announced again (22 hours, under the 48 h provider lifetime).</summary>
    public TimeSpan ProviderRepublishInterval { get; init; } = TimeSpan.FromHours(22);

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
            || ProviderRepublishInterval <= TimeSpan.Zero || BootstrapDialTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("DHT intervals must be positive");
        }
        if (MaxProvidersPerLookup < 1)
        {
            throw new ArgumentException("MaxProvidersPerLookup must be positive");
        }
    }
}
