namespace Dione.TestSupport;

/// <summary>The one bound for anything a test awaits.</summary>
public static class Timeouts
{
    /// <summary>
    /// Generous for a loaded 2-core machine (a LocalSwarm start runs a lookup in every bucket of every node): a wait
    /// that takes this long is a hang, not a slow run.
    /// </summary>
    public static readonly TimeSpan Test = TimeSpan.FromSeconds(60);

    /// <summary>A token cancelled after <see cref="Test"/>.</summary>
    public static CancellationToken Token() => new CancellationTokenSource(Test).Token;
}
