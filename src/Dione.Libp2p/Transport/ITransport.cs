using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Transport;

/// <summary>
/// A way to reach peers (TCP, later circuit relay …): it dials and listens on the multiaddrs it understands and
/// hands the host raw duplex streams, which the host then secures and multiplexes. Listed in
/// <see cref="Host.Libp2pHostBuilder.WithTransports"/>; the host uses the first that can handle an address.
/// </summary>
public interface ITransport
{
    /// <summary>Whether <see cref="DialAsync"/> can reach <paramref name="address"/> (a trailing <c>/p2p/…</c> is allowed).</summary>
    bool CanDial(Multiaddress address);

    /// <summary>Whether <see cref="ListenAsync"/> can bind <paramref name="address"/>.</summary>
    bool CanListen(Multiaddress address);

    /// <summary>Connects to <paramref name="address"/>.</summary>
    /// <exception cref="NotSupportedException">The transport cannot dial this address.</exception>
    /// <exception cref="IOException">The address could not be reached.</exception>
    Task<TransportConnection> DialAsync(Multiaddress address, CancellationToken cancellationToken);

    /// <summary>Starts listening on <paramref name="address"/>.</summary>
    /// <exception cref="NotSupportedException">The transport cannot listen on this address.</exception>
    Task<ITransportListener> ListenAsync(Multiaddress address, CancellationToken cancellationToken);
}
