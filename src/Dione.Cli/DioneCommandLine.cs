using System.CommandLine;
using System.CommandLine.Help;
using Dione.Cli.Commands;
using Microsoft.Extensions.Logging;

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
        ShowHelpWhenBare(root);
        return root;
    }

    /// <summary>
    /// Gives every command that only groups others (<c>dione</c>, <c>dione swarm</c>, …) its help as its action: run
    /// bare, it prints that help to stdout and exits 0, as kubo does for <c>ipfs</c> and <c>ipfs swarm</c>.
    /// </summary>
    private static void ShowHelpWhenBare(Command command)
    {
        if (command.Action is null && command.Subcommands.Count > 0)
        {
            command.SetAction(parse => new HelpAction().Invoke(parse));
        }
        foreach (var subcommand in command.Subcommands)
        {
            ShowHelpWhenBare(subcommand);
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"Error: {ParseErrorText.Describe(parse)}");
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
            // A bug, not a user error: still one line in the user's terms; the .NET details only when asked for.
            await Console.Error.WriteLineAsync($"Error: {ParseErrorText.OneLine(e.Message)} (unexpected; {NodeFactory.LogLevelVariable}=debug shows the details)");
            if (NodeFactory.ConfiguredLogLevel() <= LogLevel.Debug)
            {
                await Console.Error.WriteLineAsync(e.ToString());
            }
            return 2;
        }
    }
}
