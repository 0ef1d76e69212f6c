namespace Dione.Messenger.Store;

/// <summary>Bounds of the envelopes a node keeps for others. Every limit is enforced at STORE time.</summary>
public sealed record EnvelopeStoreOptions
{
    /// <summary>
    /// Largest serialised envelope accepted: the 64 KiB padding bucket, its header, an intro of up to 2 KiB and field
    /// overhead, inside an intro carrier (see docs/protocol.md).
    /// </summary>
    public int MaxEnvelopeBytes { get; init; } = 72 * 1024;

    /// <summary>How far in the future an envelope's expiry may lie (14 days, as Session's storage servers allow).</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Clock difference tolerated between the sender and this node when checking <see cref="MaxLifetime"/>.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Envelopes one connection may store here (see <see cref="StorerQuotas"/>).</summary>
    public int MaxEnvelopesPerConnection { get; init; } = 2_000;

    /// <summary>Bytes one connection may store here.</summary>
    public long MaxBytesPerConnection { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// Envelopes the connections from one IP address (an IPv6 /64) may store here in a day: the ceiling over all of
    /// that address's connections. Every node of a local swarm shares 127.0.0.1, so such a swarm raises it.
    /// </summary>
    public int MaxEnvelopesPerIpPerDay { get; init; } = 20_000;

    /// <summary>Bytes the connections from one IP address may store here in a day.</summary>
    public long MaxBytesPerIpPerDay { get; init; } = 256L * 1024 * 1024;

    /// <summary>Envelopes this node keeps in total.</summary>
    public int MaxEnvelopes { get; init; } = 200_000;

    /// <summary>Bytes this node keeps in total.</summary>
    public long MaxBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Deleted envelopes this node remembers at once (see <see cref="EnvelopeTombstones"/>); beyond it, the tombstone
    /// expiring first is dropped. About 150 bytes each.
    /// </summary>
    public int MaxTombstones { get; init; } = 200_000;

    /// <summary>Addresses one FETCH may ask for (a receiver polls its whole pending window at once).</summary>
    public int MaxFetchAddresses { get; init; } = 256;

    /// <exception cref="ArgumentOutOfRangeException">a limit is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEnvelopeBytes, 128);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkew, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEnvelopesPerConnection, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerConnection, MaxEnvelopeBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEnvelopesPerIpPerDay, MaxEnvelopesPerConnection);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerIpPerDay, MaxBytesPerConnection);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEnvelopes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytes, MaxEnvelopeBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFetchAddresses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTombstones, 1);
    }
}
