using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Dione.Cli.Commands;

/// <summary><c>dione status [--json]</c>: the running daemon's messaging in numbers.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("status", "Show sessions, pending sends, received messages and stored envelopes") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = DaemonApi.Open(parse);
            var reply = await api.PostAsync("dione/status", [], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            var published = reply.TryGetProperty("PrekeysPublished", out var p) && p.TryGetDateTimeOffset(out var at)
                ? at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : "not yet";
            Console.Out.WriteLine($"Dione address:     {DaemonApi.Text(reply, "Address")}");
            Console.Out.WriteLine($"Contacts:          {Number(reply, "Contacts")}");
            Console.Out.WriteLine($"Sessions:          {Number(reply, "Sessions")}");
            Console.Out.WriteLine($"Pending sends:     {Number(reply, "PendingSends")}");
            Console.Out.WriteLine($"Received messages: {Number(reply, "Received")}");
            Console.Out.WriteLine($"Stored envelopes:  {Number(reply, "StoredEnvelopes")} ({Number(reply, "StoredBytes")} bytes)");
            Console.Out.WriteLine($"Overlay peers:     {Number(reply, "OverlayPeers")}");
            Console.Out.WriteLine($"Prekeys published: {published}");
            return 0;
        });
        return command;
    }

    private static long Number(JsonElement reply, string property) =>
        reply.TryGetProperty(property, out var value) && value.TryGetInt64(out var number) ? number : 0;
}
