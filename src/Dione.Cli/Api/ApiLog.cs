using Microsoft.Extensions.Logging;

namespace Dione.Cli.Api;

/// <summary>The API server's log messages.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "API listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "API command {Path} failed: {Type}: {Error}")]
    public static partial void CommandFailed(ILogger logger, string path, string type, string error);
}
