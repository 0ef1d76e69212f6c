using System.Text.Json;

namespace Dione.Cli.Commands;

/// <summary>How put and provide report which peers took the record, whether a short-lived node or the daemon sent it.</summary>
public static class StoreReport
{
    /// <exception cref="CliException">no peer took it.</exception>
    public static int Print(bool asJson, IReadOnlyList<string> stored, IReadOnlyList<string> failed, string what)
    {
        Console.Out.WriteLine(asJson
            ? JsonSerializer.Serialize(new { Stored = stored, Failed = failed })
            : $"{what} {stored.Count} peers ({failed.Count} failed)");
        if (stored.Count == 0)
        {
            throw new CliException("no peer accepted it");
        }
        return 0;
    }
}
