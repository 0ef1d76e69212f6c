namespace Dione.Cli.Api.Models;

/// <summary>kubo's <c>ipfs version</c> fields; <c>Golang</c> carries the .NET runtime's description.</summary>
public sealed record VersionOutput(string Version, string Commit, string Repo, string System, string Golang);
