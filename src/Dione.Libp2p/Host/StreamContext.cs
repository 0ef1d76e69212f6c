using Dione.Libp2p.Framing;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Muxing;
using Google.Protobuf;

namespace Dione.Libp2p.Host;

/// <summary>A negotiated stream: the bytes of one protocol between us and one peer.</summary>
public sealed class StreamContext : IAsyncDisposable
{
    private readonly MuxedStream _muxed;

    internal StreamContext(Stream stream, MuxedStream muxed, string protocol, Connection connection, Direction direction)
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

    /// <summary>Reads one uvarint-length-prefixed protobuf message, refusing any over the host's message size limit.</summary>
    /// <returns>The message, or null when the peer closed the stream cleanly before sending one.</returns>
    public Task<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T> =>
        LengthPrefixed.ReadMessageAsync(Stream, parser, Connection.Limits.MaxMessageSize, cancellationToken);

    /// <summary>Writes one uvarint-length-prefixed protobuf message and flushes it.</summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        await LengthPrefixed.WriteMessageAsync(Stream, message, cancellationToken).ConfigureAwait(false);
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

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
