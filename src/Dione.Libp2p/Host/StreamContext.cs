using Dione.Libp2p.Identity;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Host;

/// <summary>A negotiated stream: the bytes of one protocol between us and one peer.</summary>
public sealed class StreamContext : IAsyncDisposable
{
    private readonly YamuxStream _muxed;

    internal StreamContext(Stream stream, YamuxStream muxed, string protocol, Connection connection, Direction direction)
    {
        Stream = stream;
        _muxed = muxed;
        Protocol = protocol;
        Connection = connection;
        Direction = direction;
    }

    /// <summary>The duplex byte stream of the protocol.</summary>
    public Stream Stream { get; }

    public string Protocol { get; }

    public Connection Connection { get; }

    public Direction Direction { get; }

    public PeerId RemotePeer => Connection.RemotePeer;

    /// <summary>Half-closes: tells the peer we will write no more, while reading goes on.</summary>
    public async Task CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _muxed.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the stream in both directions.</summary>
    public void Reset() => _muxed.Reset();

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(Stream, _muxed))
        {
            await Stream.DisposeAsync().ConfigureAwait(false);
        }
        await _muxed.DisposeAsync().ConfigureAwait(false);
    }
}
