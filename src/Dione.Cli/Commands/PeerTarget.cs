using Dione.Cli.Repo;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>
/// The peer ping and perf are pointed at, as the user wrote it: a peer id, which only the daemon can look up, or a
/// multiaddr, which a short-lived node can dial too. The daemon takes it when it names a peer (an id, or a
/// multiaddr ending in <c>/p2p/ID</c>); a multiaddr without an id is dialled from a short-lived node.
/// </summary>
public sealed record PeerTarget(string Text, PeerId? Peer, Multiaddress? Address)
{
    public static PeerTarget Parse(string text)
    {
        if (text.StartsWith('/'))
        {
            var address = TargetAddress.Parse(text);
            return new PeerTarget(text, address.PeerId, address);
        }
        return PeerId.TryParse(text, out var peer)
            ? new PeerTarget(text, peer, null)
            : throw new CliException($"invalid peer id or multiaddr '{text}'");
    }

    /// <summary>Whether the running daemon can be asked: it is given a peer to find.</summary>
    public bool NamesPeer => Peer is not null;

    /// <summary>The address a short-lived node dials.</summary>
    /// <param name="command">The command that was run, named in the error.</param>
    /// <param name="repoPath">The repo whose daemon was looked for: the hint starts that one.</param>
    /// <exception cref="CliException">only a peer id was given, which a short-lived node cannot look up.</exception>
    public Multiaddress AddressWithoutDaemon(string command, string repoPath) => Address
        ?? throw new CliException($"'dione {command} PEERID' needs a running daemon to find the peer (start it with '{RepoCommandHint.For(repoPath, "daemon")}'), or give the peer's multiaddr");
}
