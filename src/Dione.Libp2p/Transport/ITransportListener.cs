using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Transport;

/// <summary>A bound listener of a transport; disposing it stops accepting (connections already accepted live on).</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The address actually bound (with the real port when port 0 was asked for).</summary>
    Multiaddress Address { get; }

    /// <summary>Waits for the next inbound connection.</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The listener was disposed.</exception>
    ValueTask<TransportConnection> AcceptAsync(CancellationToken cancellationToken);
}
