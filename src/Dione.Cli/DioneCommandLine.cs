using System.CommandLine;
using Dione.Cli.Commands;

namespace Dione.Cli;

/// <summary>The <c>dione</c> command tree and how it reports errors: one line on stderr and a non-zero exit code.</summary>
public static class DioneCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("dione: a libp2p node and peer-to-peer messenger")
        {
            InitCommand.Create(),
            IdCommand.Create(),
            DaemonCommand.Create(),
            PingCommand.Create(),
            PerfCommand.Create(),
            BootstrapCommand.Create(),
            RoutingCommand.Create(),
            SwarmCommand.Create(),
            AddressCommand.Create(),
            KeyCommand.Create(),
            ContactCommand.Create(),
            SendCommand.Create(),
            InboxCommand.Create(),
            StatusCommand.Create(),
            DemoCommand.Create(),
            VersionCommand.Create(),
            ShutdownCommand.Create(),
        };
        root.Add(CommonOptions.Repo);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var message = parse.UnmatchedTokens.Count > 0
                ? $"unknown command or argument '{parse.UnmatchedTokens[0]}'"
                : string.Join(' ', parse.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            await Console.Error.WriteLineAsync($"Error: {message} (see 'dione --help')");
            return 1;
        }
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (parse.CommandResult.Command.Name == "daemon")
            {
                // The daemon handles SIGINT and SIGTERM itself (DaemonShutdown): its shutdown is never cut short.
                configuration.ProcessTerminationTimeout = null;
            }
            return await parse.InvokeAsync(configuration);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Error: interrupted");
            return 130;
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line, never a stack trace.
            await Console.Error.WriteLineAsync($"Error: {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }
}
