namespace Dione.Libp2p.Muxing;

/// <summary>
/// One stream of a muxed connection: a duplex byte stream that can also half-close and reset
/// (specs/connections, "Stream Multiplexing"). An abstract class rather than an interface because in .NET the
/// readable, writable thing every protocol handler takes is <see cref="Stream"/>, itself a class.
/// </summary>
public abstract class MuxedStream : Stream
{
    /// <summary>Half-closes: tells the peer we will write no more (after everything written so far); reading goes on.</summary>
    public abstract Task CloseWriteAsync(CancellationToken cancellationToken = default);

    /// <summary>Aborts the stream in both directions; pending and later reads and writes fail.</summary>
    public abstract void Reset();
}
