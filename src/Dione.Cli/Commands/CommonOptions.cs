using System.CommandLine;

namespace Dione.Cli.Commands;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<string?> Repo { get; } = new("--repo")
    {
        Description = "Path to the repo (default: $DIONE_PATH, else ~/.dione)",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON" };
}
