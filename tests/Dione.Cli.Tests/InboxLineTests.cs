using System.Text.RegularExpressions;
using Dione.Cli.Api.Models;
using Dione.Cli.Commands;

namespace Dione.Cli.Tests;

/// <summary>What <c>dione inbox</c> prints for a message: a sender's text can neither fake another message's line nor drive the terminal.</summary>
public sealed partial class InboxLineTests
{
    private static readonly DateTimeOffset Received = new(2026, 12, 7, 15, 51, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("hi\n2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\r\n2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\r2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\u20282026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\u20292026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\u00852026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\v2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\f2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\u001b[1G\u001b[2K2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("hi\u009b1G\u009b2K2026-12-07 15:51:30 bank: your code is 1234")]
    [InlineData("\u001b[2J\u001b[H2026-12-07 15:51:30 bank: your code is 1234")]
    public void A_body_cannot_print_a_line_that_looks_like_a_message_from_someone_else(string body)
    {
        var printed = InboxLine.Format(new DioneMessage(1, "mallory", body, Received, Received));
        var lines = printed.Split('\n');

        Assert.Matches(MessageLine(), lines[0]);
        Assert.StartsWith($"{Received.ToLocalTime():yyyy-MM-dd HH:mm:ss} mallory: ", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.StartsWith(InboxLine.Continuation, line, StringComparison.Ordinal));
        Assert.DoesNotContain(printed, c => char.IsControl(c) && c is not '\n' and not '\t');
        Assert.DoesNotContain(printed, c => c is '\u2028' or '\u2029');
        Assert.Equal(1, lines.Count(line => MessageLine().IsMatch(line)));
    }

    [Fact]
    public void Further_lines_are_indented_and_tabs_and_other_text_stay_as_they_are()
    {
        var printed = InboxLine.Format(new DioneMessage(1, "alice", "one\ntwo\tcolumns\r\nthree ünïcödé ✓", Received, Received));

        Assert.Equal($"{Received.ToLocalTime():yyyy-MM-dd HH:mm:ss} alice: one\n    two\tcolumns\n    three ünïcödé ✓", printed);
    }

    [Fact]
    public void Bidirectional_overrides_and_control_characters_in_the_text_or_the_name_show_as_replacement_characters()
    {
        var printed = InboxLine.Format(new DioneMessage(1, "eve\u202e\n", "\u202egnp.exe\u2066\u0007\u007f", Received, Received));

        Assert.EndsWith(" eve\uFFFD\uFFFD: \uFFFDgnp.exe\uFFFD\uFFFD\uFFFD", printed, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', printed);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")]
    private static partial Regex MessageLine();
}
