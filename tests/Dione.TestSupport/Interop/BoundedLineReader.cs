using System.Text;

namespace Dione.TestSupport.Interop;

/// <summary>
/// Reads a child process's output line by line with a cap on line length, for the interop harnesses of both test
/// projects (compiled into each; see their csproj files).
/// </summary>
public static class BoundedLineReader
{
    /// <summary>
    /// Calls <paramref name="onLine"/> for each non-empty line until end of stream; a line longer than
    /// <paramref name="maxLineChars"/> is dropped whole and reported to <paramref name="onOverflow"/>.
    /// </summary>
    public static async Task ReadLinesAsync(StreamReader reader, int maxLineChars, Action<string> onLine, Action<string> onOverflow)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        var overflowed = false;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c != '\n')
                {
                    if (line.Length < maxLineChars)
                    {
                        line.Append(c);
                    }
                    else
                    {
                        overflowed = true;
                    }

                    continue;
                }

                if (overflowed)
                {
                    onOverflow($"[line longer than {maxLineChars} characters dropped]");
                }
                else if (line.Length > 0)
                {
                    onLine(line.ToString().TrimEnd('\r'));
                }

                line.Clear();
                overflowed = false;
            }
        }

        if (line.Length > 0 && !overflowed)
        {
            onLine(line.ToString());
        }
    }
}
