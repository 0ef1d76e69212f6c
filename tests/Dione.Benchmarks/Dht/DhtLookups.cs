using Dione.Kademlia;
using Dione.Kademlia.Lookup;

namespace Dione.Benchmarks.Dht;

/// <summary>The lookups the DHT benchmark modes can measure (<c>--lookup</c>).</summary>
internal static class DhtLookups
{
    public const string Engine = "engine";

    public const string StandIn = "stand-in";

    /// <summary>
    /// Dione.Kademlia's <see cref="LookupEngine"/> by default; <see cref="StandIn"/> is the benchmark's own
    /// independent lookup, written before the engine existed and kept as a cross-check of its figures.
    /// </summary>
    public static IDhtLookup Create(string name, int k, int alpha) => name switch
    {
        Engine => new EngineLookup(new LookupOptions { K = k, Alpha = alpha }),
        StandIn => new StandInIterativeLookup(k, alpha),
        _ => throw new UsageException($"--lookup must be {Engine} or {StandIn}, not '{name}'"),
    };
}
