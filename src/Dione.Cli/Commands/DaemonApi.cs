using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Repo;

namespace Dione.Cli.Commands;

/// <summary>How commands reach the daemon's API: the repo from <c>--repo</c>, and JSON printed as the API sent it.</summary>
public static class DaemonApi
{
    /// <summary>A client for the repo's daemon.</summary>
    /// <exception cref="CliException">no daemon runs on the repo (the one-line "needs a running daemon" error).</exception>
    public static ApiClient Open(ParseResult parse) => ApiClient.Open(RepoPath(parse));

    /// <summary>A client when a daemon runs on the repo and answers, else null (the command then works without it).</summary>
    public static Task<ApiClient?> TryConnectAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ApiClient.ConnectAsync(RepoPath(parse), cancellationToken);

    public static string RepoPath(ParseResult parse) => DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo));

    public static void PrintJson(JsonElement value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, ApiJson.Options));

    public static IEnumerable<string> Strings(JsonElement value, string property) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? "")
            : [];

    public static string Text(JsonElement value, string property) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(property, out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString() ?? ""
            : "";
}
