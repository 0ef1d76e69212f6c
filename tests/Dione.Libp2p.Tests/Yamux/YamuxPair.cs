using System.Net.Sockets;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

/// <summary>A started client (initiator) and server yamux session over one real loopback TCP connection.</summary>
internal sealed class YamuxPair : IAsyncDisposable
{
    private readonly LoopbackPair _loopback;

    private YamuxPair(LoopbackPair loopback, YamuxSession client, YamuxSession server)
    {
        _loopback = loopback;
        Client = client;
        Server = server;
    }

    public YamuxSession Client { get; }

    public YamuxSession Server { get; }

    public static async Task<YamuxPair> CreateAsync(YamuxSettings? clientSettings = null, YamuxSettings? serverSettings = null)
    {
        var loopback = await LoopbackPair.CreateAsync();
        // Each session owns its transport, so closing a session closes the TCP connection as in production.
        var client = new YamuxSession(new NetworkStream(loopback.Client.Socket, ownsSocket: true), isInitiator: true, clientSettings);
        var server = new YamuxSession(new NetworkStream(loopback.Server.Socket, ownsSocket: true), isInitiator: false, serverSettings);
        client.Start();
        server.Start();
        return new YamuxPair(loopback, client, server);
    }

    /// <summary>Opens a stream on the client (its SYN is sent at once) and accepts it on the server.</summary>
    public async Task<(YamuxStream Client, YamuxStream Server)> OpenAcceptedAsync(CancellationToken ct)
    {
        var opened = await Client.OpenStreamAsync(ct);
        var accepted = await Server.AcceptStreamAsync(ct);
        return (opened, accepted);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await _loopback.DisposeAsync();
    }
}
