using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dione.Cli.Api;

/// <summary>JSON as kubo's RPC writes it: property names exactly as the models declare them (kubo's Go field names).</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        // Replies are application/json for programs, never embedded in HTML: quotes and '<' stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
