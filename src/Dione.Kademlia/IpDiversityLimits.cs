namespace Dione.Kademlia;

/// <summary>
/// How many peers of one <see cref="IpGroup"/> a <see cref="RoutingTable"/> holds: per bucket and in all
/// (go-libp2p-kad-dht's WAN defaults are 2 and 3).
/// </summary>
/// <param name="PerBucket">Peers of one group in one bucket.</param>
/// <param name="PerTable">Peers of one group in the whole table.</param>
public sealed record IpDiversityLimits(int PerBucket, int PerTable)
{
    /// <exception cref="ArgumentOutOfRangeException">a bound is below 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PerBucket, 1, nameof(PerBucket));
        ArgumentOutOfRangeException.ThrowIfLessThan(PerTable, 1, nameof(PerTable));
    }
}
