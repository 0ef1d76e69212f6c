using System.Text.RegularExpressions;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>
/// Finds where C# source constructs a host, a Kademlia DHT or a mailbox service: <c>new Libp2pHostBuilder(</c>,
/// <c>new KademliaDht(</c>, <c>new MailboxService(</c> or <c>MailboxService.StartAsync(</c>, outside comments and
/// string literals. A text scan, not a compiler: enough to keep the wiring in one place.
/// </summary>
internal static partial class ConstructionScanner
{
    /// <summary>The lines of <paramref name="source"/> (from 1) that construct one of the guarded types, with the construction found.</summary>
    public static IReadOnlyList<(int Line, string Construction)> Find(string source)
    {
        var code = StripCommentsAndStrings(source);
        var found = new List<(int, string)>();
        foreach (Match match in Construction().Matches(code))
        {
            var line = 1 + code.AsSpan(0, match.Index).Count('\n');
            found.Add((line, Regex.Replace(match.Value, @"\s+", "")));
        }
        return found;
    }

    /// <summary>Blanks out comments and string literals, keeping line breaks so line numbers stay right.</summary>
    private static string StripCommentsAndStrings(string source) =>
        CommentOrString().Replace(source, m => new string(m.Value.Select(c => c == '\n' ? '\n' : ' ').ToArray()));

    // The type's name may be qualified (new Dione.Libp2p.Host.Libp2pHostBuilder(), global::…).
    [GeneratedRegex(@"\bnew\s+(?:global::)?(?:\w+\s*\.\s*)*(?:Libp2pHostBuilder|KademliaDht|MailboxService)\s*\(|\bMailboxService\s*\.\s*StartAsync\s*\(")]
    private static partial Regex Construction();

    // Verbatim and raw strings first, then ordinary strings and characters, then comments.
    [GeneratedRegex(@"""""""[\s\S]*?""""""|@""(?:""""|[^""])*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])+'|/\*[\s\S]*?\*/|//[^\n]*")]
    private static partial Regex CommentOrString();
}
