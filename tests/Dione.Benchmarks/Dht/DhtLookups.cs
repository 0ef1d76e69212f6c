namespace Dione.Benchmarks.Dht;

/// <summary>The lookup every DHT benchmark mode measures; changing which one is this one line.</summary>
internal static class DhtLookups
{
    public static IDhtLookup Create(int k, int alpha) => new StandInIterativeLookup(k, alpha);
}
