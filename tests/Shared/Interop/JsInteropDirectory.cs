namespace Dione.Tests.Shared.Interop;

/// <summary>Finds interop/js from the test binaries' location.</summary>
internal static class JsInteropDirectory
{
    private const string SolutionFileName = "DioneLibp2p.sln";

    /// <summary>
    /// interop/js under the nearest folder above the test binaries that holds DioneLibp2p.sln,
    /// with dht-peer.mjs present and node_modules installed.
    /// </summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                continue;
            }

            var js = Path.Combine(directory.FullName, "interop", "js");
            if (!File.Exists(Path.Combine(js, JsDhtPeer.Script)))
            {
                throw new DirectoryNotFoundException($"{JsDhtPeer.Script} not found in {js}.");
            }

            if (!Directory.Exists(Path.Combine(js, "node_modules")))
            {
                throw new InvalidOperationException(
                    $"js interop dependencies are not installed: run interop/js/install.sh (npm ci in {js}).");
            }

            return js;
        }

        throw new DirectoryNotFoundException($"No folder containing {SolutionFileName} above {AppContext.BaseDirectory}.");
    }
}
