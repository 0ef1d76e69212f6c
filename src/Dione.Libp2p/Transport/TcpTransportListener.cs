using System.Net;
using System.Net.Sockets;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Transport;

/// <summary>A bound TCP listening socket of <see cref="TcpTransport"/>.</summary>
internal sealed class TcpTransportListener : ITransportListener
{
    private readonly Socket _socket;

    public TcpTransportListener(Socket socket)
    {
        _socket = socket;
        Address = Multiaddress.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!);
    }

    public Multiaddress Address { get; }

    public async ValueTask<TransportConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            socket.NoDelay = true;
            // On a wildcard listener the accepted socket's own end names the interface the peer reached.
            var local = Multiaddress.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!);
            var remote = Multiaddress.FromTcpEndPoint((IPEndPoint)socket.RemoteEndPoint!);
            return new TransportConnection(new NetworkStream(socket, ownsSocket: true), local, remote);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
