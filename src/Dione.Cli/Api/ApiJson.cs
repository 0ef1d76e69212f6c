using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dione.Cli.Api;

/// <summary>
/// JSON as kubo's RPC writes it: property names exactly as the models declare them (kubo's Go field names). Reading
/// is strict where silence would mislead: every constructor parameter of a model must be present and a non-nullable
/// field must not be null, so a renamed or missing field fails the command instead of printing a quiet 0. Fields a
/// model does not know are skipped, so a newer daemon may add some without breaking an older CLI.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        // Replies are application/json for programs, never embedded in HTML: text stays as it is, escaped only where
        // JSON requires (the CLI's --json output shares these options).
        Encoder = JsonTextEncoder.Instance,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        TypeInfoResolver = ApiJsonContext.Default,
    };

    /// <summary>
    /// For the CLI's own <c>--json</c> values that are no API model (read by reflection): the same encoder, so every
    /// JSON line dione prints escapes text alike.
    /// </summary>
    public static JsonSerializerOptions CliOptions { get; } = new() { Encoder = JsonTextEncoder.Instance };

    /// <summary>The metadata for one model type, bound to <see cref="Options"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not listed in <see cref="ApiJsonContext"/>.</exception>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
