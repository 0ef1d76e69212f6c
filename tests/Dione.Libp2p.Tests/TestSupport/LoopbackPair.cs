using System.Net;
using System.Net.Sockets;

namespace Dione.Libp2p.Tests.TestSupport;

/// <summary>Two ends of one real TCP connection on 127.0.0.1, for protocol tests over a real socket.</summary>
public sealed class LoopbackPair : IAsyncDisposable
{
    private readonly Socket _clientSocket;
    private readonly Socket _serverSocket;

    private LoopbackPair(Socket client, Socket server)
    {
        _clientSocket = client;
        _serverSocket = server;
        Client = new NetworkStream(client, ownsSocket: false);
        Server = new NetworkStream(server, ownsSocket: false);
    }

    /// <summary>The dialing side.</summary>
    public NetworkStream Client { get; }

    /// <summary>The accepting side.</summary>
    public NetworkStream Server { get; }

    public static async Task<LoopbackPair> CreateAsync(CancellationToken cancellationToken = default)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync(cancellationToken).AsTask();
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        var server = await accept;
        server.NoDelay = true;
        return new LoopbackPair(client, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        _clientSocket.Dispose();
        _serverSocket.Dispose();
    }
}
