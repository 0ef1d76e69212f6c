using System.Globalization;
using System.Text;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// A received message as <c>dione inbox</c> prints it: <c>2026-11-21 08:50:01 alice: text</c> (local time of arrival),
/// and every further line of the text indented, so that only the inbox itself starts a line with a time and a name: a
/// body cannot print a line that looks like a message from someone else.
/// </summary>
/// <remarks>
/// A line ends wherever a terminal or a Unicode-aware viewer would end it (LF, CR, CR LF, VT, FF, NEL, U+2028, U+2029).
/// Any other control character (ESC and the C1 controls that start terminal escape sequences: moving the cursor,
/// clearing the screen, retitling the window) and the bidirectional formatting characters (which reorder what a line
/// shows) are printed as U+FFFD. Tabs stay. The contact name gets the same treatment and never breaks its line.
/// </remarks>
public static class InboxLine
{
    /// <summary>What starts each further line of a message's text.</summary>
    public const string Continuation = "    ";

    public static string Format(DioneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder()
            .Append(message.Received.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
            .Append(' ');
        AppendPrintable(text, message.From, lineBreak: "\uFFFD");
        text.Append(": ");
        AppendPrintable(text, message.Text, lineBreak: "\n" + Continuation);
        return text.ToString();
    }

    private static void AppendPrintable(StringBuilder output, string text, string lineBreak)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' && i + 1 < text.Length && text[i + 1] is '\n')
            {
                continue;
            }
            output.Append(c switch
            {
                '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029' => lineBreak,
                '\t' => "\t",
                _ when char.IsControl(c) || IsBidiControl(c) => "\uFFFD",
                _ => c.ToString(),
            });
        }
    }

    /// <summary>The bidirectional marks, embeddings, overrides and isolates (Unicode's Bidi_Control property).</summary>
    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
