namespace Dione.TestSupport;

/// <summary>Waits for a condition by checking it again and again (never a fixed sleep), until the test's token runs out.</summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <exception cref="OperationCanceledException">the condition did not hold before <paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task TrueAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (!condition())
        {
            await Task.Delay(Pause, cancellationToken);
        }
    }

    /// <exception cref="OperationCanceledException">the condition did not hold before <paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (!await condition())
        {
            await Task.Delay(Pause, cancellationToken);
        }
    }
}
