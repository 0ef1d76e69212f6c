using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Node;

/// <summary>
/// DioneNode is the one composition root: above the layers that define them, nothing but DioneNode and LocalSwarm
/// constructs a libp2p host, a Kademlia DHT or a mailbox service, in src/ and in the tests of the Messenger and CLI
/// layers and the benchmarks. (The Libp2p and Kademlia tests build their own layer's types and are not scanned.)
/// </summary>
public sealed class CompositionRootTests
{
    /// <summary>
    /// Files that may construct the guarded types, each with the reason: the root and its swarm, the mailbox's own
    /// factory, and the overlay, a second Kademlia engine on the node's host under the overlay's protocol id.
    /// </summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["src/Dione.Messenger/Node/DioneNode.cs"] = "the composition root",
        ["src/Dione.Messenger/Node/LocalSwarm.cs"] = "the local swarm of DioneNodes",
        ["src/Dione.Messenger/Mailbox/MailboxService.cs"] = "its own factory",
        ["src/Dione.Messenger/Overlay/DioneOverlay.cs"] = "the overlay's own DHT engine",
    };

    /// <summary>Where the rule holds: all of src/, and the test projects of the layers that compose nodes.</summary>
    private static readonly string[] Scanned =
        ["src", "tests/Dione.Messenger.Tests", "tests/Dione.Cli.Tests", "tests/Dione.Libp2p.Tests/Cli", "tests/Dione.Benchmarks"];

    [Fact]
    public void Only_dione_node_and_local_swarm_build_hosts_dhts_and_mailboxes()
    {
        var root = RepositoryRoot();
        var violations = new List<string>();
        var scannedFiles = 0;
        foreach (var folder in Scanned.Select(f => Path.Combine(root, f)).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal) || Allowed.ContainsKey(relative))
                {
                    continue;
                }
                scannedFiles++;
                violations.AddRange(ConstructionScanner.Find(File.ReadAllText(file)).Select(f => $"{relative}:{f.Line}: {f.Construction}"));
            }
        }

        Assert.True(scannedFiles > 100, $"only {scannedFiles} files scanned under {root}");
        Assert.True(violations.Count == 0, "build nodes through DioneNode (or LocalSwarm) instead of:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_scan_finds_constructions_in_code_and_ignores_comments_and_strings()
    {
        const string Source = """
            // new Libp2pHostBuilder() in a comment
            /* new KademliaDht(host) in a block comment */
            var text = "new MailboxService(";
            var options = new KademliaDhtOptions();
            var host = new Libp2pHostBuilder()
                .Build();
            var dht = new KademliaDht (host, options);
            var mailbox = await MailboxService
                .StartAsync(host, dht);
            var qualified = new global::Dione.Libp2p.Host.Libp2pHostBuilder();
            """;

        var found = ConstructionScanner.Find(Source);

        Assert.Equal([(5, "newLibp2pHostBuilder("), (7, "newKademliaDht("), (8, "MailboxService.StartAsync("), (10, "newglobal::Dione.Libp2p.Host.Libp2pHostBuilder(")], found);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DioneLibp2p.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no DioneLibp2p.sln above {AppContext.BaseDirectory}");
    }
}
