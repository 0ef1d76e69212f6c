using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Dione.Benchmarks;

/// <summary>
/// The modes that are BenchmarkDotNet classes (<c>curves</c>, <c>noise-handshake</c>): one run in this process (no
/// generated project to build) with a short job (3 warm-ups, 3 iterations), so a table takes minutes on this machine.
/// </summary>
internal static class BenchmarkDotNetMode
{
    /// <returns>0 when every benchmark ran, 1 otherwise.</returns>
    public static int Run<TBenchmark>(BenchmarkArguments arguments)
    {
        arguments.RejectUnknownOptions();
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<TBenchmark>(config);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success) ? 1 : 0;
    }
}
