using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Transport;

/// <summary>A raw transport connection before its upgrade: a duplex byte stream and the addresses of both ends.</summary>
/// <param name="stream">The duplex stream; it owns the underlying resource (the socket), so disposing it closes the connection.</param>
/// <param name="localAddress">Our end, without <c>/p2p/</c>.</param>
/// <param name="remoteAddress">The peer's end as dialed or as seen, without <c>/p2p/</c>.</param>
public sealed class TransportConnection(Stream stream, Multiaddress localAddress, Multiaddress remoteAddress) : IAsyncDisposable
{
    public Stream Stream { get; } = stream;

    public Multiaddress LocalAddress { get; } = localAddress;

    public Multiaddress RemoteAddress { get; } = remoteAddress;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
