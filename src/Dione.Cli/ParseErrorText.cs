using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Dione.Cli;

/// <summary>
/// A parse error as one line in the user's terms: a value that does not fit its option says what was expected
/// (<c>'abc' is not a whole number for --count</c>), never a .NET type name, and the hint names the help of the
/// command that was being parsed (<c>see 'dione swarm peers --help'</c>), as kubo's does.
/// </summary>
public static class ParseErrorText
{
    /// <summary>The whole numbers options and arguments take, and their ranges.</summary>
    private static readonly Dictionary<Type, (BigInteger Min, BigInteger Max)> WholeNumbers = new()
    {
        [typeof(byte)] = (byte.MinValue, byte.MaxValue),
        [typeof(sbyte)] = (sbyte.MinValue, sbyte.MaxValue),
        [typeof(short)] = (short.MinValue, short.MaxValue),
        [typeof(ushort)] = (ushort.MinValue, ushort.MaxValue),
        [typeof(int)] = (int.MinValue, int.MaxValue),
        [typeof(uint)] = (uint.MinValue, uint.MaxValue),
        [typeof(long)] = (long.MinValue, long.MaxValue),
        [typeof(ulong)] = (ulong.MinValue, ulong.MaxValue),
    };

    /// <summary>The first error of <paramref name="parse"/> (which has at least one), with the hint.</summary>
    public static string Describe(ParseResult parse)
    {
        var message = parse.UnmatchedTokens.Count > 0
            ? $"unknown command or argument '{parse.UnmatchedTokens[0]}'"
            : UnfitValue(parse.Errors[0]) ?? OneLine(parse.Errors[0].Message);
        return $"{message} (see '{HelpCommand(parse.CommandResult)}')";
    }

    /// <summary>The command that shows the help of <paramref name="command"/>: <c>dione swarm peers --help</c>.</summary>
    public static string HelpCommand(CommandResult command)
    {
        var names = new List<string>();
        // The root's own name is the executable's (dione.dll when run by dotnet): it is always "dione" to the user.
        for (var result = command; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }
        return string.Join(' ', ["dione", .. names, "--help"]);
    }

    public static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>"'abc' is not a whole number for --count" when the error is a value its symbol's type cannot hold, else null.</summary>
    private static string? UnfitValue(ParseError error)
    {
        var (name, type, tokens) = error.SymbolResult switch
        {
            OptionResult option => (option.Option.Name, option.Option.ValueType, option.Tokens),
            ArgumentResult { Parent: OptionResult option } => (option.Option.Name, option.Option.ValueType, option.Tokens),
            ArgumentResult argument => ($"<{argument.Argument.Name}>", argument.Argument.ValueType, argument.Tokens),
            _ => ((string?)null, typeof(string), Array.Empty<Token>()),
        };
        if (name is null || !WholeNumbers.TryGetValue(Nullable.GetUnderlyingType(type) ?? type, out var range))
        {
            return null;
        }
        foreach (var token in tokens)
        {
            if (!BigInteger.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return $"'{token.Value}' is not a whole number for {name}";
            }
            if (value < range.Min || value > range.Max)
            {
                return $"'{token.Value}' is out of range for {name} (a whole number from {range.Min} to {range.Max})";
            }
        }
        return null;
    }
}
