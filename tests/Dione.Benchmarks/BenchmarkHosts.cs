using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;

namespace Dione.Benchmarks;

/// <summary>How the benchmark modes build their nodes (through DioneNode): stock settings, so the numbers are what a user gets.</summary>
internal static class BenchmarkHosts
{
    public const string AgentVersion = "dione-bench/0.1.0";

    /// <summary>Settings of a node that is a host alone (no DHT, no messaging), listening on <paramref name="listen"/> when given.</summary>
    public static DioneNodeOptions HostOnly(string? listen = null) => new()
    {
        ListenAddresses = listen is null ? [] : [Multiaddress.Parse(listen)],
        AgentVersion = AgentVersion,
        RunDht = false,
        RunMailbox = false,
        RunMessenger = false,
    };

    /// <summary>A started node, a host alone, listening on <paramref name="listen"/>.</summary>
    public static Task<DioneNode> StartListenerAsync(string listen, CancellationToken cancellationToken) => StartAsync(HostOnly(listen), cancellationToken);

    /// <summary>A started node, a host alone, that only dials.</summary>
    public static Task<DioneNode> StartDialerAsync(CancellationToken cancellationToken) => StartAsync(HostOnly(), cancellationToken);

    /// <summary>Builds and starts a node from <paramref name="options"/> (disposed again when the start fails).</summary>
    public static async Task<DioneNode> StartAsync(DioneNodeOptions options, CancellationToken cancellationToken)
    {
        var node = new DioneNode(options);
        try
        {
            await node.StartAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The first listen address of <paramref name="host"/>, with its <c>/p2p/</c> id.</summary>
    public static Multiaddress DialAddress(Libp2pHost host) => host.ListenAddresses[0].WithPeerId(host.PeerId);

    /// <summary>Parses a dial address, which must name the peer with <c>/p2p/</c>.</summary>
    public static (Multiaddress Address, PeerId Peer) ParseTarget(string text)
    {
        if (!Multiaddress.TryParse(text, out var address) || address is null)
        {
            throw new UsageException($"not a multiaddr: '{text}'");
        }
        var peer = address.PeerId ?? throw new UsageException($"the address must end in /p2p/<peer id>: '{text}'");
        return (address, peer);
    }
}
