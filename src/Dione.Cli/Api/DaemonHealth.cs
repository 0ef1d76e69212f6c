using Dione.Cli.Repo;
using Dione.Messenger.Node;

namespace Dione.Cli.Api;

/// <summary>
/// What a daemon says about its own state, at start and in <c>dione/status</c>: its public DHT mode in words, and
/// warnings for the states in which it cannot do its job (no bootstrap peers, no peers in the Dione overlay), each
/// saying what to do about it.
/// </summary>
public static class DaemonHealth
{
    public const string WarningPrefix = "WARNING: ";

    public const string NoOverlayPeers = "the Dione overlay has 0 peers: no message can be stored for a contact or fetched "
        + "until this node reaches another Dione node (through its bootstrap peers, or when one dials it)";

    /// <summary>The public DHT's mode as asked for: <c>client</c>, <c>server</c> or <c>auto</c>.</summary>
    public static string ConfiguredMode(DioneNode node) => node.Dht.Options.Mode.ToString().ToLowerInvariant();

    /// <summary>The mode in effect now: <c>client</c> or <c>server</c> (what <c>auto</c> has come to).</summary>
    public static string CurrentMode(DioneNode node) => node.Dht.CurrentMode.ToString().ToLowerInvariant();

    /// <summary>The mode in words, saying what <c>auto</c> means for the node now.</summary>
    public static string DescribeMode(string configured, string current) => (configured, current) switch
    {
        ("auto", "server") => "auto (server: this node has a public address, or a peer saw it at one)",
        // Auto turns to server only on a public address (KademliaDht): on loopback or a LAN that never happens.
        ("auto", _) => "auto (client until a peer sees this node at a public address, which on a private network never "
            + "happens: --dht-mode server answers DHT requests at once)",
        _ => configured,
    };

    public static string NoBootstrapPeers(string repoPath) =>
        "no bootstrap peers: this node meets other nodes only when they dial it; stop the daemon and add one with "
        + $"'{RepoCommandHint.For(repoPath, "bootstrap add MULTIADDR")}'";

    /// <summary>What is wrong now, one sentence each (without <see cref="WarningPrefix"/>); empty when nothing is.</summary>
    public static string[] Warnings(DioneNode node, string repoPath) =>
    [
        .. node.Options.BootstrapPeers.Count == 0 ? [NoBootstrapPeers(repoPath)] : Array.Empty<string>(),
        .. node.Overlay.Dht.RoutingTable.Count == 0 ? [NoOverlayPeers] : Array.Empty<string>(),
    ];
}
