using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Tests.TestSupport;

/// <summary>Hosts listening on 127.0.0.1 with an ephemeral port, started and ready to dial.</summary>
public static class TestHosts
{
    public static async Task<Libp2pHost> StartAsync(Action<Libp2pHostBuilder>? configure = null, string listen = "/ip4/127.0.0.1/tcp/0")
    {
        var builder = new Libp2pHostBuilder().ListenOn(listen);
        configure?.Invoke(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The first listen address of <paramref name="host"/> with its <c>/p2p/</c> id.</summary>
    public static Multiaddress DialAddress(this Libp2pHost host) => host.ListenAddresses[0].WithPeerId(host.PeerId);

    /// <summary>A handler that echoes every byte until the remote half-closes.</summary>
    public static async Task EchoAsync(StreamContext context, CancellationToken cancellationToken)
    {
        await context.Stream.CopyToAsync(context.Stream, cancellationToken);
        await context.CloseWriteAsync(cancellationToken);
    }
}
