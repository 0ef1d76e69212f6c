using System.Net;
using System.Net.Sockets;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Transport;

/// <summary>Plain TCP over IPv4 and IPv6: dials <c>/ip4|ip6|dns|dns4|dns6/…/tcp/…</c> and listens on <c>/ip4|ip6/…/tcp/…</c>.
/// Sockets have Nagle's algorithm off, as libp2p's framing already batches writes.</summary>
public sealed class TcpTransport : ITransport
{
    private const int ListenBacklog = 512;

    public bool CanDial(Multiaddress address)
    {
        var components = address.WithoutPeerId().Components;
        if (components.Count != 2 || components[1].Protocol != MultiaddrProtocols.Tcp)
        {
            return false;
        }
        var first = components[0].Protocol;
        return first == MultiaddrProtocols.Ip4 || first == MultiaddrProtocols.Ip6 || first == MultiaddrProtocols.Dns
            || first == MultiaddrProtocols.Dns4 || first == MultiaddrProtocols.Dns6;
    }

    public bool CanListen(Multiaddress address) => address.ToTcpEndPoint() is not null;

    public async Task<TransportConnection> DialAsync(Multiaddress address, CancellationToken cancellationToken)
    {
        var target = address.WithoutPeerId();
        if (!CanDial(target))
        {
            throw new NotSupportedException($"cannot dial '{address}' over TCP");
        }
        var endPoints = await ResolveAsync(target, cancellationToken).ConfigureAwait(false);
        Exception? lastError = null;
        foreach (var endPoint in endPoints)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                var local = Multiaddress.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!);
                return new TransportConnection(new NetworkStream(socket, ownsSocket: true), local, target);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastError = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new IOException($"could not connect to {address}: {lastError?.Message}", lastError);
    }

    public Task<ITransportListener> ListenAsync(Multiaddress address, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var endPoint = address.ToTcpEndPoint()
            ?? throw new NotSupportedException($"cannot listen on '{address}': only /ip4|ip6/…/tcp/… addresses");
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }
            socket.Bind(endPoint);
            socket.Listen(ListenBacklog);
            return Task.FromResult<ITransportListener>(new TcpTransportListener(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(Multiaddress address, CancellationToken cancellationToken)
    {
        var direct = address.ToTcpEndPoint();
        if (direct is not null)
        {
            return [direct];
        }
        var host = address.Components[0];
        var port = (address.Components[1].Value[0] << 8) | address.Components[1].Value[1];
        var addresses = await Dns.GetHostAddressesAsync(host.ValueText!, cancellationToken).ConfigureAwait(false);
        var wanted = host.Protocol == MultiaddrProtocols.Dns4 ? AddressFamily.InterNetwork
            : host.Protocol == MultiaddrProtocols.Dns6 ? AddressFamily.InterNetworkV6
            : AddressFamily.Unspecified;
        var endPoints = addresses
            .Where(a => wanted == AddressFamily.Unspecified || a.AddressFamily == wanted)
            .Select(a => new IPEndPoint(a, port))
            .ToList();
        if (endPoints.Count == 0)
        {
            throw new IOException($"'{host.ValueText}' resolved to no usable address");
        }
        return endPoints;
    }
}
