namespace Dione.Cli.Tests;

/// <summary>Interop tests run one at a time: each starts daemons and node processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliInteropCollection
{
    public const string Name = "cli interop";
}
