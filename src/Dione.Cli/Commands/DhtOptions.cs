using System.CommandLine;
using Dione.Cli.Repo;
using Dione.Kademlia;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>Options and parsing shared by the daemon and the routing commands.</summary>
public static class DhtOptions
{
    public static Option<string[]> Bootstrap() => new("--bootstrap")
    {
        Description = "Bootstrap peer multiaddr (repeatable; replaces the repo's list for this run)",
    };

    public static DhtMode ParseMode(string text) => text switch
    {
        "client" => DhtMode.Client,
        "server" => DhtMode.Server,
        "auto" => DhtMode.Auto,
        _ => throw new CliException($"unknown DHT mode '{text}'"),
    };

    /// <summary>The peers given with <c>--bootstrap</c>, else the repo's list (empty when there is no repo).</summary>
    public static IReadOnlyList<Multiaddress> BootstrapPeers(string[]? given, DioneRepo? repo)
    {
        var texts = given is { Length: > 0 } ? given : repo?.Config.Bootstrap.ToArray() ?? [];
        return texts.Select(text => Multiaddress.TryParse(text, out var address) && address!.PeerId is not null
                ? address
                : throw new CliException($"invalid bootstrap peer '{text}': expected a multiaddr ending in /p2p/ID"))
            .ToList();
    }
}
