namespace Dione.Libp2p.Tests.Interop;

/// <summary>Interop tests run one at a time: each starts node processes and moves hundreds of MiB on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteropCollection
{
    public const string Name = "interop";
}
