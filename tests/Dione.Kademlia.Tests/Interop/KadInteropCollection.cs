namespace Dione.Kademlia.Tests.Interop;

/// <summary>DHT interop tests run one at a time: each starts several node processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KadInteropCollection
{
    public const string Name = "kad-interop";
}
