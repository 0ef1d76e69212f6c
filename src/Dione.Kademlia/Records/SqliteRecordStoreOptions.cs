namespace Dione.Kademlia.Records;

/// <summary>Bounds and lifetime of a <see cref="SqliteRecordStore"/>.</summary>
public sealed record SqliteRecordStoreOptions
{
    /// <summary>Records are dropped this long after their <c>timeReceived</c> (48 h, as the issue and IPNS specify).</summary>
    public TimeSpan RecordLifetime { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Most records held at once.</summary>
    public int MaxRecords { get; init; } = 10_000;

    /// <summary>Most value bytes held at once, summed over all records.</summary>
    public long MaxTotalValueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest single value accepted.</summary>
    public int MaxValueBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest key accepted.</summary>
    public int MaxKeyBytes { get; init; } = 1024;

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RecordLifetime, TimeSpan.Zero, nameof(RecordLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecords, 1, nameof(MaxRecords));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTotalValueBytes, 1, nameof(MaxTotalValueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxValueBytes, 0, nameof(MaxValueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxKeyBytes, 1, nameof(MaxKeyBytes));
    }
}
