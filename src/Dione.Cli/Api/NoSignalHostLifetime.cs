using Microsoft.Extensions.Hosting;

namespace Dione.Cli.Api;

/// <summary>
/// A host lifetime that leaves Ctrl-C and SIGTERM alone: the daemon command owns them and stops the API itself
/// (the generic host's console lifetime would otherwise register its own handlers).
/// </summary>
internal sealed class NoSignalHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
