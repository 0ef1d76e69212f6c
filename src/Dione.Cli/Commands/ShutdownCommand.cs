using System.CommandLine;
using Dione.Cli.Api;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione shutdown</c>: stops the repo's running daemon through its API (kubo's <c>ipfs shutdown</c>), then waits
/// until its API has stopped answering, so that a <c>dione daemon</c> started next finds the repo free of it.
/// </summary>
public static class ShutdownCommand
{
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var command = new Command("shutdown", "Stop the running daemon");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            await api.RunAsync("shutdown", [], cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StopTimeout);
            try
            {
                while (await ApiProbe.IsListeningAsync(api.EndPoint, timeout.Token))
                {
                    await Task.Delay(PollInterval, timeout.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"the daemon was asked to stop but its API still answers after {StopTimeout.TotalSeconds} s");
            }
            return 0;
        });
        return command;
    }
}
