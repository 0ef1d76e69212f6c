using System.CommandLine;
using System.Globalization;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione inbox [--follow] [--json] [--after ID]</c>: the messages received, each as <see cref="InboxLine"/> prints it
/// ("2026-11-21 08:50:01 alice: text", local time of arrival, further lines indented), through the running daemon;
/// <c>--follow</c> keeps printing new ones until interrupted.
/// </summary>
public static class InboxCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running and print messages as they arrive" };
        var after = new Option<long>("--after") { Description = "Only messages after this inbox id (the JSON's Id)" };
        var json = CommonOptions.Json();
        var command = new Command("inbox", "List the messages you received") { follow, after, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var following = parse.GetValue(follow);
            var options = new List<(string, string)>();
            if (parse.GetValue(after) is var from and not 0)
            {
                options.Add(("after", from.ToString(CultureInfo.InvariantCulture)));
            }
            if (following)
            {
                options.Add(("follow", "true"));
            }
            try
            {
                await foreach (var message in api.StreamAsync<DioneMessage>("dione/inbox", [], options, endless: following, cancellationToken: cancellationToken))
                {
                    if (parse.GetValue(json))
                    {
                        DaemonApi.PrintJson(message);
                    }
                    else
                    {
                        Console.Out.WriteLine(InboxLine.Format(message));
                    }
                }
            }
            catch (OperationCanceledException) when (following && cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C is how a follow ends.
                return 0;
            }
            return following ? throw new CliException("the daemon stopped") : 0;
        });
        return command;
    }
}
