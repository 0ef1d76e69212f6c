namespace Dione.Kademlia.Records;

/// <summary>Bounds and lifetime of a <see cref="SqliteProviderStore"/>.</summary>
public sealed record SqliteProviderStoreOptions
{
    /// <summary>Provider entries are dropped this long after they were last added (48 h).</summary>
    public TimeSpan ProviderLifetime { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Most providers kept per key; adding beyond it drops that key's oldest entries.</summary>
    public int MaxProvidersPerKey { get; init; } = 100;

    /// <summary>Most distinct keys with providers held at once.</summary>
    public int MaxKeys { get; init; } = 100_000;

    /// <summary>Most provider entries held at once, over all keys.</summary>
    public int MaxEntries { get; init; } = 1_000_000;

    /// <summary>Most addresses kept per provider; later ones are dropped.</summary>
    public int MaxAddressesPerProvider { get; init; } = 32;

    /// <summary>Longest key accepted (80 bytes: a multihash of any common hash, as the issue requires).</summary>
    public int MaxKeyBytes { get; init; } = 80;

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProviderLifetime, TimeSpan.Zero, nameof(ProviderLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProvidersPerKey, 1, nameof(MaxProvidersPerKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxKeys, 1, nameof(MaxKeys));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEntries, 1, nameof(MaxEntries));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAddressesPerProvider, 0, nameof(MaxAddressesPerProvider));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxKeyBytes, 1, nameof(MaxKeyBytes));
    }
}
