using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Protocols.Ping;

/// <summary>
/// libp2p ping (specs/ping/ping.md): the dialer sends 32 random bytes, the listener echoes them, on one stream
/// for as long as the dialer likes.
/// </summary>
public sealed class PingService
{
    public const string ProtocolId = "/ipfs/ping/1.0.0";
    public const int PayloadLength = 32;

    /// <summary>How long a listener waits for the next ping before closing the stream.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the dialer waits for one echo.</summary>
    public static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Inbound ping streams one peer may hold open (the spec says a listener should accept at most two).</summary>
    public const int MaxInboundStreamsPerPeer = 2;

    private readonly Libp2pHost _host;
    private readonly ConcurrentDictionary<PeerId, int> _inbound = new();

    internal PingService(Libp2pHost host) => _host = host;

    /// <summary>Pings <paramref name="peer"/> <paramref name="count"/> times on one stream, yielding each round trip.</summary>
    public async IAsyncEnumerable<TimeSpan> PingAsync(PeerId peer, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        await using var stream = await _host.NewStreamAsync(peer, [ProtocolId], cancellationToken).ConfigureAwait(false);
        var sent = new byte[PayloadLength];
        var received = new byte[PayloadLength];
        for (var i = 0; i < count; i++)
        {
            RandomNumberGenerator.Fill(sent);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(EchoTimeout);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await stream.Stream.WriteAsync(sent, timeout.Token).ConfigureAwait(false);
                await stream.Stream.FlushAsync(timeout.Token).ConfigureAwait(false);
                await stream.Stream.ReadExactlyAsync(received, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                stream.Reset();
                throw new TimeoutException($"no ping echo from {peer} within {EchoTimeout.TotalSeconds} s");
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (!sent.AsSpan().SequenceEqual(received))
            {
                stream.Reset();
                throw new InvalidDataException($"ping echo from {peer} does not match what was sent");
            }
            yield return elapsed;
        }
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task HandleAsync(StreamContext context, CancellationToken cancellationToken)
    {
        var peer = context.RemotePeer;
        if (_inbound.AddOrUpdate(peer, 1, (_, n) => n + 1) > MaxInboundStreamsPerPeer)
        {
            Release(peer);
            context.Reset();
            return;
        }
        try
        {
            var buffer = new byte[PayloadLength];
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(IdleTimeout);
                var read = await context.Stream.ReadAtLeastAsync(buffer, PayloadLength, throwOnEndOfStream: false, idle.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                if (read < PayloadLength)
                {
                    throw new EndOfStreamException("ping stream ended inside a payload");
                }
                await context.Stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                await context.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Release(peer);
        }
    }

    private void Release(PeerId peer)
    {
        if (_inbound.AddOrUpdate(peer, 0, (_, n) => n - 1) <= 0)
        {
            _inbound.TryRemove(new KeyValuePair<PeerId, int>(peer, 0));
        }
    }
}
