using System.Diagnostics;
using System.Security.Cryptography;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Protocols.Ping;

namespace Dione.Benchmarks;

/// <summary>
/// One full connection setup as the js dialer's <c>setups</c> check does it: a fresh TCP connection upgraded with
/// multistream-select, Noise and Yamux, one <c>/ipfs/ping/1.0.0</c> stream (lazy multistream-select, so the ping
/// payload leaves with the protocol proposal), the first byte of the echo, then closing the connection.
/// </summary>
internal static class ConnectionSetup
{
    public static async Task<SetupTiming> RunAsync(Libp2pHost host, Multiaddress address, CancellationToken cancellationToken)
    {
        var payload = RandomNumberGenerator.GetBytes(PingService.PayloadLength);
        var firstByte = new byte[PingService.PayloadLength];
        var started = Stopwatch.GetTimestamp();
        var connection = await host.DialAsync(address, cancellationToken).ConfigureAwait(false);
        double connectedMs, firstByteMs;
        try
        {
            connectedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await using var stream = await connection.OpenStreamAsync([PingService.ProtocolId], cancellationToken).ConfigureAwait(false);
            await stream.Stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            await stream.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            var read = await stream.Stream.ReadAsync(firstByte, cancellationToken).ConfigureAwait(false);
            firstByteMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (read == 0 || firstByte[0] != payload[0])
            {
                throw new InvalidDataException("the ping stream ended or echoed another byte first");
            }
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        return new SetupTiming(connectedMs, firstByteMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
