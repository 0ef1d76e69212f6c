namespace Dione.Messenger.Tests.TestSupport;

internal static class Timeouts
{
    /// <summary>
    /// Generous bound for anything a test awaits, the swarm's start included (LocalSwarm also runs a lookup in every
    /// bucket of every node; on a loaded 2-core machine 20 s was not always enough).
    /// </summary>
    public static readonly TimeSpan Test = TimeSpan.FromSeconds(60);

    public static CancellationToken Token() => new CancellationTokenSource(Test).Token;
}
