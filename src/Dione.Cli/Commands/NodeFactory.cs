using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Commands;

/// <summary>Builds hosts for commands, with logging on stderr at the level <c>DIONE_LOG_LEVEL</c> asks for.</summary>
public static class NodeFactory
{
    public const string LogLevelVariable = "DIONE_LOG_LEVEL";

    public static ILoggerFactory CreateLoggerFactory()
    {
        var text = Environment.GetEnvironmentVariable(LogLevelVariable);
        var level = Enum.TryParse<LogLevel>(text, ignoreCase: true, out var parsed) ? parsed : LogLevel.Warning;
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(options => options.SingleLine = true)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
    }

    /// <summary>A node that only dials, with a fresh identity, for one-shot commands such as ping and perf.</summary>
    public static Libp2pHost CreateShortLived(ILoggerFactory loggerFactory) =>
        new Libp2pHostBuilder()
            .WithIdentity(PrivateKey.Generate(KeyType.Ed25519))
            .WithLoggerFactory(loggerFactory)
            .Build();
}
