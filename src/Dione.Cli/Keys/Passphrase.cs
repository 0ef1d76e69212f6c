using System.Text;

namespace Dione.Cli.Keys;

/// <summary>
/// Where <c>dione key export|import</c> get the passphrase: the first line of <c>--passphrase-file</c> (for scripts),
/// else typed at the terminal without echo, else nowhere (a clear error rather than a read of piped input). An empty
/// passphrase is refused. The passphrase is its UTF-8 bytes, as given.
/// </summary>
public static class Passphrase
{
    /// <summary>A passphrase file larger than this is not one (a key file named by mistake, say).</summary>
    public const int MaxFileLength = 4096;

    /// <param name="confirm">Ask twice at the terminal (export: a typo there would lock the file for good).</param>
    /// <exception cref="CliException">no passphrase can be had, it is empty, or the two typed ones differ.</exception>
    public static byte[] Read(string? passphraseFile, bool confirm)
    {
        var text = passphraseFile is not null ? FromFile(passphraseFile) : FromTerminal(confirm);
        if (text.Length == 0)
        {
            throw new CliException("the passphrase is empty; a key file needs one");
        }
        return Encoding.UTF8.GetBytes(text);
    }

    private static string FromFile(string path)
    {
        var bytes = BoundedFile.Read(path, MaxFileLength, "passphrase file");
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = end < 0 ? text : text[..end];
        return line.EndsWith('\r') ? line[..^1] : line;
    }

    private static string FromTerminal(bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            throw new CliException("no passphrase: stdin is not a terminal; pass --passphrase-file FILE");
        }
        var first = Prompt("Passphrase for the key file: ");
        if (confirm && first.Length > 0 && Prompt("The same passphrase again: ") != first)
        {
            throw new CliException("the two passphrases differ; nothing was written");
        }
        return first;
    }

    /// <summary>Reads a line from the terminal without echoing it; the prompt goes to stderr, as kubo's prompts do.</summary>
    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return typed.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (key.KeyChar != '\0')
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
