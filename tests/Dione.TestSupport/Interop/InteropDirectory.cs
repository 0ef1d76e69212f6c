namespace Dione.TestSupport.Interop;

/// <summary>Finds the repository's interop folders from the test binaries' location.</summary>
public static class InteropDirectory
{
    private const string SolutionFileName = "DioneLibp2p.sln";

    /// <summary>
    /// The repository root: the nearest folder at or above <see cref="AppContext.BaseDirectory"/>
    /// that contains DioneLibp2p.sln.
    /// </summary>
    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder containing {SolutionFileName} above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// interop/js, with its node_modules installed; throws a clear error when `npm ci` has not been run.
    /// </summary>
    public static string FindJsDirectory()
    {
        var js = Path.Combine(FindRepositoryRoot(), "interop", "js");
        if (!File.Exists(Path.Combine(js, "peer.mjs")))
        {
            throw new DirectoryNotFoundException($"js interop scripts not found in {js}.");
        }

        if (!Directory.Exists(Path.Combine(js, "node_modules")))
        {
            throw new InvalidOperationException(
                $"js interop dependencies are not installed: run `npm ci` in {js} (or run interop/js/install.sh).");
        }

        return js;
    }
}
