using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// How put and provide report which peers took the record, whether a short-lived node or the daemon sent it: with
/// <c>--json</c> the API's QueryEvent lines (<c>FinalPeer</c> for a peer that took it, <c>QueryError</c> for one that
/// did not), else a count.
/// </summary>
public static class StoreReport
{
    /// <exception cref="CliException">no peer took it.</exception>
    public static int Print(bool asJson, IReadOnlyList<QueryEvent> events, string what)
    {
        var stored = events.Count(e => e.Type == QueryEventType.FinalPeer && e.ID.Length > 0);
        var failed = events.Count(e => e.Type == QueryEventType.QueryError && e.ID.Length > 0);
        if (asJson)
        {
            foreach (var e in events)
            {
                DaemonApi.PrintJson(e);
            }
        }
        else
        {
            Console.Out.WriteLine($"{what} {stored} peers ({failed} failed)");
        }
        return stored > 0 ? 0 : throw new CliException("no peer accepted it");
    }
}
