using System.Text;

namespace Dione.Cli.Tests;

/// <summary>
/// Small edits to the text of an API argument for the daemon's mutation loops: one to three characters replaced,
/// inserted or removed, the new ones drawn from an alphabet each loop chooses (separators, controls, non-ASCII).
/// </summary>
internal static class QueryTextMutator
{
    public static string Mutate(Random random, string text, string alphabet)
    {
        var builder = new StringBuilder(text);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var position = random.Next(builder.Length + 1);
            var c = alphabet[random.Next(alphabet.Length)];
            switch (random.Next(3))
            {
                case 0 when position < builder.Length:
                    builder[position] = c;
                    break;
                case 1:
                    builder.Insert(position, c);
                    break;
                default:
                    if (builder.Length > 0)
                    {
                        builder.Remove(Math.Min(position, builder.Length - 1), 1);
                    }
                    break;
            }
        }
        return builder.ToString();
    }
}
