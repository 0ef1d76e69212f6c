using System.CommandLine;
using Dione.Cli.Repo;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>Options and parsing shared by the daemon and the routing commands.</summary>
public static class DhtOptions
{
    public static Option<string[]> Bootstrap() => new("--bootstrap")
    {
        Description = "Bootstrap peer multiaddr (repeatable; replaces the repo's list for this run)",
    };

    public static Option<bool> AllowPrivateAddresses() => new("--allow-private-addresses")
    {
        Description = "Let peers at private and loopback addresses into the DHT (automatic when listening on loopback only or when every bootstrap peer is at a private address)",
    };

    /// <summary>
    /// Whether a DHT node of the CLI lets private addresses in (<see cref="KadOptions.AllowPrivateAddresses"/>): when
    /// asked, or when it can only be part of a private network: it listens on loopback addresses only, or every one of
    /// its bootstrap peers (at least one) is at a non-public address. Otherwise null: the library's default for the
    /// protocol (refused on the public DHT).
    /// </summary>
    public static bool? PrivateAddressesAllowed(bool requested, IReadOnlyList<Multiaddress> listen, IReadOnlyList<Multiaddress> bootstrap)
    {
        var loopbackOnly = listen.Count > 0 && listen.All(a => a.ToTcpEndPoint() is { } endPoint && System.Net.IPAddress.IsLoopback(endPoint.Address));
        var privateBootstrap = bootstrap.Count > 0 && bootstrap.All(a => !KadAddressFilter.IsPublic(a));
        return requested || loopbackOnly || privateBootstrap ? true : null;
    }

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
