using Dione.Messenger.Node;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Commands;

/// <summary>Builds nodes for commands, with logging on stderr at the level <c>DIONE_LOG_LEVEL</c> asks for.</summary>
public static class NodeFactory
{
    public const string LogLevelVariable = "DIONE_LOG_LEVEL";

    /// <summary>The level <c>DIONE_LOG_LEVEL</c> names (trace, debug, information, …), else warning.</summary>
    public static LogLevel ConfiguredLogLevel() =>
        Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(LogLevelVariable), ignoreCase: true, out var parsed) ? parsed : LogLevel.Warning;

    public static ILoggerFactory CreateLoggerFactory()
    {
        var level = ConfiguredLogLevel();
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(options => options.SingleLine = true)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
    }

    /// <summary>
    /// A node that only dials, with a fresh identity, for one-shot commands such as ping and perf: no DHT, no
    /// messaging, and not started (dialling needs no listener).
    /// </summary>
    public static DioneNode CreateShortLived(ILoggerFactory loggerFactory) =>
        new(new DioneNodeOptions { RunDht = false, RunMailbox = false, RunMessenger = false, LoggerFactory = loggerFactory });
}
