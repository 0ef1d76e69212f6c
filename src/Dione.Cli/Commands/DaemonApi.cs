using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Repo;

namespace Dione.Cli.Commands;

/// <summary>How commands reach the daemon's API: the repo from <c>--repo</c>, and replies printed in the API's JSON.</summary>
public static class DaemonApi
{
    /// <summary>A client for the repo's daemon, once one that is starting answers (<see cref="RepoAccess.DaemonAsync"/>).</summary>
    /// <exception cref="CliException">no daemon runs on the repo (the one-line "needs a running daemon" error).</exception>
    public static Task<ApiClient> ConnectAsync(ParseResult parse, CancellationToken cancellationToken) =>
        RepoAccess.DaemonAsync(RepoPath(parse), cancellationToken);

    /// <summary>A client when a daemon runs on the repo, once it answers, else null (the command then works without it).</summary>
    public static Task<ApiClient?> TryConnectAsync(ParseResult parse, CancellationToken cancellationToken) =>
        RepoAccess.TryDaemonAsync(RepoPath(parse), cancellationToken);

    public static string RepoPath(ParseResult parse) => DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo));

    /// <summary>Prints a reply with <c>--json</c>: one line, the API's own field names.</summary>
    public static void PrintJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, ApiJson.TypeInfo<T>()));
}
