using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// What the routing commands print, from the daemon's events or a short-lived node's results alike: with
/// <c>--json</c> the API's QueryEvent line itself, else the addresses, the provider's id or the raw value.
/// </summary>
public static class RoutingOutput
{
    public static void PrintPeer(QueryEvent e, AddrInfo peer, bool asJson)
    {
        if (asJson)
        {
            DaemonApi.PrintJson(e);
            return;
        }
        foreach (var address in peer.Addrs)
        {
            Console.Out.WriteLine(address);
        }
    }

    public static void PrintProvider(QueryEvent e, AddrInfo provider, bool asJson)
    {
        if (asJson)
        {
            DaemonApi.PrintJson(e);
            return;
        }
        Console.Out.WriteLine(provider.ID);
    }

    /// <summary>A <c>Value</c> event carries the record's value in base64 in <c>Extra</c>; without --json the bytes go to stdout as they are.</summary>
    public static async Task PrintValueAsync(QueryEvent e, bool asJson, CancellationToken cancellationToken)
    {
        if (asJson)
        {
            DaemonApi.PrintJson(e);
            return;
        }
        using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(Convert.FromBase64String(e.Extra), cancellationToken);
    }
}
