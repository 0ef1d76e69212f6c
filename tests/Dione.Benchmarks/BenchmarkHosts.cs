using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks;

/// <summary>How the benchmark modes build their hosts: stock settings, so the numbers are what a user gets.</summary>
internal static class BenchmarkHosts
{
    public const string AgentVersion = "dione-bench/0.1.0";

    /// <summary>A started host listening on <paramref name="listen"/>.</summary>
    public static async Task<Libp2pHost> StartListenerAsync(string listen, CancellationToken cancellationToken)
    {
        var host = new Libp2pHostBuilder().ListenOn(listen).WithAgentVersion(AgentVersion).Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A started host that only dials.</summary>
    public static async Task<Libp2pHost> StartDialerAsync(CancellationToken cancellationToken)
    {
        var host = new Libp2pHostBuilder().WithAgentVersion(AgentVersion).Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
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
