using Microsoft.Extensions.Logging;

namespace Dione.Kademlia.Bootstrap;

internal static partial class BootstrapLog
{
    [LoggerMessage(1, LogLevel.Debug, "Bootstrap address {Address} has no /p2p/ peer id; dropped")]
    public static partial void NoPeerId(ILogger logger, string address);
}
