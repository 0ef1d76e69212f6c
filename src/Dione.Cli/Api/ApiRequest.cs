using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api;

/// <summary>
/// A command's inputs as kubo's RPC takes them from the query string: positional arguments as repeated
/// <c>arg=</c>, options by their long or short name (<c>count=3</c> or <c>n=3</c>).
/// </summary>
public static class ApiRequest
{
    public const int MaxArguments = 64;

    public static IReadOnlyList<string> Arguments(HttpContext context)
    {
        var values = context.Request.Query["arg"];
        if (values.Count > MaxArguments)
        {
            throw ApiException.Client($"too many arguments ({values.Count}; at most {MaxArguments})");
        }
        return [.. values.Select(v => v ?? "")];
    }

    /// <summary>The first argument; a bad request when it is missing, as kubo's <c>argument "name" is required</c>.</summary>
    public static string Required(HttpContext context, string name)
    {
        var arguments = Arguments(context);
        if (arguments.Count == 0 || arguments[0].Length == 0)
        {
            throw ApiException.Client($"argument \"{name}\" is required");
        }
        return arguments[0];
    }

    /// <summary>A boolean option, false when absent; values as Go's <c>strconv.ParseBool</c> reads them.</summary>
    public static bool Flag(HttpContext context, params string[] names)
    {
        var text = Option(context, names);
        return text switch
        {
            null => false,
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw ApiException.Client($"option \"{names[0]}\": '{text}' is not a boolean"),
        };
    }

    public static int Integer(HttpContext context, int defaultValue, params string[] names)
    {
        var text = Option(context, names);
        if (text is null)
        {
            return defaultValue;
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.Client($"option \"{names[0]}\": '{text}' is not an integer");
    }

    public static long Long(HttpContext context, long defaultValue, params string[] names)
    {
        var text = Option(context, names);
        if (text is null)
        {
            return defaultValue;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.Client($"option \"{names[0]}\": '{text}' is not an integer");
    }

    private static string? Option(HttpContext context, string[] names)
    {
        foreach (var name in names)
        {
            var values = context.Request.Query[name];
            if (values.Count > 0)
            {
                return values[^1];
            }
        }
        return null;
    }
}
