using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class AsyncAutoResetSignalTests
{
    [Fact]
    public async Task Set_before_wait_completes_the_next_wait_only()
    {
        var signal = new AsyncAutoResetSignal();
        signal.Set();
        signal.Set();
        Assert.True(signal.WaitAsync(default).IsCompletedSuccessfully);
        var second = signal.WaitAsync(default);
        Assert.False(second.IsCompleted);
        signal.Set();
        await second.AsTask().WaitAsync(Timeouts.Test);
    }

    [Fact]
    public async Task Cancellation_fails_the_wait_and_the_signal_stays_usable()
    {
        var signal = new AsyncAutoResetSignal();
        using var cts = new CancellationTokenSource();
        var wait = signal.WaitAsync(cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Timeouts.Test));
        var next = signal.WaitAsync(default).AsTask();
        signal.Set();
        await next.WaitAsync(Timeouts.Test);
    }

    [Fact]
    public void A_second_concurrent_wait_is_rejected()
    {
        var signal = new AsyncAutoResetSignal();
        _ = signal.WaitAsync(default);
        Assert.Throws<InvalidOperationException>(() => signal.WaitAsync(default));
        signal.Set();
    }
}
