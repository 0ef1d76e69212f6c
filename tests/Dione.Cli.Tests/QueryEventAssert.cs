using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary>Checks one line of a routing command's <c>--json</c> output: the API's QueryEvent shape, whichever node ran it.</summary>
public static class QueryEventAssert
{
    /// <summary>The line is a QueryEvent of <paramref name="type"/> (go's numbering) and is returned for more checks.</summary>
    public static JsonElement Is(string line, int type)
    {
        var element = JsonDocument.Parse(line).RootElement;
        Assert.Equal(["Extra", "ID", "Responses", "Type"], element.EnumerateObject().Select(p => p.Name));
        Assert.Equal(type, element.GetProperty("Type").GetInt32());
        return element;
    }

    /// <summary>The peers that the events of <paramref name="type"/> among <paramref name="lines"/> name in <c>ID</c>.</summary>
    public static IReadOnlyList<string> PeersOf(string lines, int type) =>
        [.. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Is(line, JsonDocument.Parse(line).RootElement.GetProperty("Type").GetInt32()))
            .Where(e => e.GetProperty("Type").GetInt32() == type)
            .Select(e => e.GetProperty("ID").GetString()!)];

    /// <summary>A FinalPeer (2) or Provider (4) event naming <paramref name="peerId"/> with its addresses.</summary>
    public static IReadOnlyList<string> NamesPeer(string line, int type, string peerId)
    {
        var response = Assert.Single(Is(line, type).GetProperty("Responses").EnumerateArray());
        Assert.Equal(peerId, response.GetProperty("ID").GetString());
        return [.. response.GetProperty("Addrs").EnumerateArray().Select(a => a.GetString()!)];
    }
}
