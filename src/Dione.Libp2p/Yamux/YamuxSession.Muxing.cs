using Dione.Libp2p.Muxing;

namespace Dione.Libp2p.Yamux;

/// <summary>The session as the host sees any muxed connection (<see cref="IMuxedConnection"/>).</summary>
public sealed partial class YamuxSession
{
    async Task<MuxedStream> IMuxedConnection.OpenStreamAsync(CancellationToken cancellationToken) =>
        await OpenStreamAsync(cancellationToken).ConfigureAwait(false);

    async ValueTask<MuxedStream> IMuxedConnection.AcceptStreamAsync(CancellationToken cancellationToken) =>
        await AcceptStreamAsync(cancellationToken).ConfigureAwait(false);

    Task<TimeSpan> IMuxedConnection.MeasureRoundTripAsync(CancellationToken cancellationToken) => PingAsync(cancellationToken);
}
