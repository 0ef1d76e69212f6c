using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Dione.TestSupport.Interop;

namespace Dione.Cli.Tests;

/// <summary>
/// The <c>dione</c> .NET tool as a user gets it: Dione.Cli packed from the build the tests already ran (no second
/// build), installed with <c>dotnet tool install --tool-path</c> from that package alone, then run.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private const string PackageId = "Dione.Cli";

    // Generous: pack, install and the demo each take seconds, but this machine may be running much else at once.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    private readonly string _root = Directory.CreateTempSubdirectory("dione-tool-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_into_a_tool_path_and_runs_version_and_the_demo()
    {
        var version = typeof(DioneCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var project = Path.Combine(InteropDirectory.FindRepositoryRoot(), "src", "Dione.Cli", "Dione.Cli.csproj");
        var packages = Path.Combine(_root, "packages");
        var tools = Path.Combine(_root, "tools");
        var config = Path.Combine(_root, "nuget.config");
        // The folder just packed into is the only package source: a package of the same name elsewhere never answers.
        await File.WriteAllTextAsync(config, "<configuration><packageSources><clear /></packageSources></configuration>");

        await RunAsync(Dotnet(), "pack", project, "-c", configuration, "--no-build", "-o", packages, "-nologo");
        Assert.True(File.Exists(Path.Combine(packages, $"{PackageId}.{version}.nupkg")), $"no {PackageId}.{version}.nupkg in {packages}");
        await RunAsync(Dotnet(), "tool", "install", PackageId, "--version", version, "--tool-path", tools, "--configfile", config, "--add-source", packages);

        var printed = await RunAsync(Path.Combine(tools, "dione"), "--version");
        var demo = await RunAsync(Path.Combine(tools, "dione"), "demo", "--nodes", "6");

        Assert.Equal(version, printed.Trim());
        Assert.Contains("done: 6 messages", demo, StringComparison.Ordinal);
    }

    /// <summary>The dotnet that runs these tests (its SDK packs and installs; its runtime runs the tool).</summary>
    private static string Dotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Path.Combine(DotnetRoot(), "dotnet");

    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>Runs a program to its end and returns its stdout; a non-zero exit or a timeout fails the test with its output.</summary>
    private async Task<string> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Its own package cache (nothing from an earlier run is reused), the runtime these tests run on, no banners.
        info.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "nuget-cache");
        info.Environment["DOTNET_ROOT"] = DotnetRoot();
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("DIONE_PATH");

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        var command = $"{Path.GetFileName(program)} {string.Join(' ', arguments)}";
        Assert.False(deadline.IsCancellationRequested, $"{command} still ran after {StepTimeout}:\n{output}");
        Assert.True(process.ExitCode == 0, $"{command} exited with {process.ExitCode}:\n{output}");
        return await stdout;
    }
}
