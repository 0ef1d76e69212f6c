using System.CommandLine;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione version [--number | --all | --json]</c>, as kubo's <c>ipfs version</c>: "dione version 0.1.0", the
/// number alone, or every detail. It describes this dione, so it needs neither a repo nor a daemon (the daemon's
/// <c>/api/v0/version</c> answers the same <see cref="VersionOutput"/>).
/// </summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var number = new Option<bool>("--number", "-n") { Description = "Print only the version number" };
        var all = new Option<bool>("--all") { Description = "Print the version, commit, repo version, system and runtime" };
        var json = CommonOptions.Json();
        var command = new Command("version", "Show dione's version") { number, all, json };
        command.SetAction(parse =>
        {
            var version = VersionOutput.OfThisBuild();
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(version);
            }
            else if (parse.GetValue(all))
            {
                var commit = version.Commit.Length > 0 ? "-" + version.Commit : "";
                Console.Out.WriteLine($"Dione version: {version.Version}{commit}");
                if (version.Repo.Length > 0)
                {
                    Console.Out.WriteLine($"Repo version: {version.Repo}");
                }
                Console.Out.WriteLine($"System version: {version.System}");
                Console.Out.WriteLine($"Runtime version: {version.Golang}");
            }
            else
            {
                Console.Out.WriteLine(parse.GetValue(number) ? version.Version : $"dione version {version.Version}");
            }
            return 0;
        });
        return command;
    }
}
