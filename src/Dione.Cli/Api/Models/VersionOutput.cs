using System.Runtime.InteropServices;
using Dione.Libp2p.Host;

namespace Dione.Cli.Api.Models;

/// <summary>kubo's <c>ipfs version</c> fields; <c>Golang</c> carries the .NET runtime's description.</summary>
public sealed record VersionOutput(string Version, string Commit, string Repo, string System, string Golang)
{
    /// <summary>
    /// This dione's version: the one its agent string announces ("dione/0.1.0" gives "0.1.0"). The build records no
    /// commit and a repo has no format version of its own (each store migrates its tables), so both are empty.
    /// </summary>
    public static VersionOutput OfThisBuild() => new(
        Libp2pHostBuilder.DefaultAgentVersion.Split('/')[^1],
        "",
        "",
        $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}/{OperatingSystemName()}",
        RuntimeInformation.FrameworkDescription);

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : "unknown";
}
