namespace Dione.Libp2p.Muxing;

/// <summary>
/// A secured connection split into streams by a stream muxer. It owns the secured stream below it and closes it
/// when it ends: on <see cref="IAsyncDisposable.DisposeAsync"/>, on a transport error or on a protocol violation.
/// </summary>
public interface IMuxedConnection : IAsyncDisposable
{
    /// <summary>Completes (never faults) once the connection has ended for any reason.</summary>
    Task Completion { get; }

    /// <summary>True once the connection is closing or closed.</summary>
    bool IsClosed { get; }

    /// <summary>Streams in both directions that are not fully closed.</summary>
    int OpenStreamCount { get; }

    /// <summary>Opens a stream to the peer.</summary>
    Task<MuxedStream> OpenStreamAsync(CancellationToken cancellationToken);

    /// <summary>Waits for the peer to open a stream.</summary>
    ValueTask<MuxedStream> AcceptStreamAsync(CancellationToken cancellationToken);

    /// <summary>Measures one round trip on the muxer's own ping.</summary>
    /// <exception cref="NotSupportedException">The muxer has no ping of its own.</exception>
    Task<TimeSpan> MeasureRoundTripAsync(CancellationToken cancellationToken);
}
