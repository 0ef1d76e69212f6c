using System.CommandLine;
using System.Globalization;
using Dione.Cli.Api;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary><c>dione status [--json]</c>: the running daemon's messaging in numbers, how it is connected, and warnings.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("status", "Show sessions, pending sends, received messages and stored envelopes") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<DioneStatusOutput>("dione/status", [], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            var published = reply.PrekeysPublished is { } at
                ? at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : "not yet";
            Console.Out.WriteLine($"Dione address:     {reply.Address}");
            Console.Out.WriteLine($"Contacts:          {reply.Contacts}");
            Console.Out.WriteLine($"Sessions:          {reply.Sessions}");
            Console.Out.WriteLine($"Pending sends:     {reply.PendingSends}");
            Console.Out.WriteLine($"Received messages: {reply.Received}");
            Console.Out.WriteLine($"Stored envelopes:  {reply.StoredEnvelopes} ({reply.StoredBytes} bytes)");
            Console.Out.WriteLine($"Overlay peers:     {reply.OverlayPeers}");
            Console.Out.WriteLine($"Bootstrap peers:   {reply.BootstrapPeers}");
            Console.Out.WriteLine($"DHT mode:          {DaemonHealth.DescribeMode(reply.DhtMode, reply.DhtModeNow)}");
            Console.Out.WriteLine($"Prekeys published: {published}");
            foreach (var warning in reply.Warnings)
            {
                Console.Out.WriteLine(DaemonHealth.WarningPrefix + warning);
            }
            return 0;
        });
        return command;
    }
}
