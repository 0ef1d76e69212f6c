namespace Dione.Messenger.Tests.TestSupport;

internal static class Timeouts
{
    /// <summary>Generous bound for anything a test awaits.</summary>
    public static readonly TimeSpan Test = TimeSpan.FromSeconds(20);

    public static CancellationToken Token() => new CancellationTokenSource(Test).Token;
}
