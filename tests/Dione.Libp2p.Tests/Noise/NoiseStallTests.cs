using System.Diagnostics;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>A peer that stops sending must not hold a handshake or a read forever: the token ends the wait.</summary>
public class NoiseStallTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Initiator_waiting_for_a_silent_responder_is_cancelled()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        using var cts = new CancellationTokenSource(Patience);
        var clock = Stopwatch.StartNew();
        var handshake = NoiseSecurity.SecureOutboundAsync(pair.Client, PrivateKey.Generate(KeyType.Ed25519), null, [], cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(NoiseTestPeers.Deadline));
        Assert.True(clock.Elapsed < NoiseTestPeers.Deadline);
    }

    [Fact]
    public async Task Responder_waiting_for_message_3_is_cancelled()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        using var cts = new CancellationTokenSource(Patience);
        var handshake = NoiseSecurity.SecureInboundAsync(pair.Server, PrivateKey.Generate(KeyType.Ed25519), [], cts.Token);
        // Act as an initiator that sends message 1, reads message 2, then stalls.
        using var state = new NoiseXXHandshakeState(true, [], X25519KeyPair.Generate());
        var message1 = state.WriteMessage([]);
        await pair.Client.WriteAsync(new byte[] { 0, (byte)message1.Length });
        await pair.Client.WriteAsync(message1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public async Task Handshake_message_header_of_65535_then_silence_is_cancelled()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        using var cts = new CancellationTokenSource(Patience);
        var handshake = NoiseSecurity.SecureOutboundAsync(pair.Client, PrivateKey.Generate(KeyType.Ed25519), null, [], cts.Token);
        await pair.Server.ReadExactlyAsync(new byte[34], NoiseTestPeers.Timeout());
        await pair.Server.WriteAsync(new byte[] { 0xff, 0xff, 0x01 });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public async Task Transport_frame_header_of_65535_then_silence_is_cancelled_and_reading_can_resume()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var (client, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        await pair.Client.WriteAsync(new byte[] { 0xff, 0xff, 0x00, 0x01 });
        using (var cts = new CancellationTokenSource(Patience))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                async () => _ = await server.Stream.ReadAsync(new byte[100], cts.Token).AsTask().WaitAsync(NoiseTestPeers.Deadline));
        }
        // The stalled frame is still pending; the peer finishing it with garbage is detected as corruption.
        await pair.Client.WriteAsync(new byte[65533]);
        await Assert.ThrowsAsync<IOException>(async () => _ = await server.Stream.ReadAsync(new byte[100], NoiseTestPeers.Timeout()));
        GC.KeepAlive(client);
    }

    [Fact]
    public async Task Truncated_transport_frame_raises_IOException()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var (_, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        await pair.Client.WriteAsync(new byte[] { 0x00, 0x64 });
        await pair.Client.WriteAsync(new byte[50]);
        NoiseTestPeers.ShutDown(pair.Client, System.Net.Sockets.SocketShutdown.Send);
        var error = await Assert.ThrowsAsync<IOException>(async () => _ = await server.Stream.ReadAsync(new byte[200], NoiseTestPeers.Timeout()));
        Assert.Contains("ended inside", error.Message);
    }

    [Fact]
    public async Task Truncated_length_prefix_raises_IOException()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var (_, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        await pair.Client.WriteAsync(new byte[] { 0x00 });
        NoiseTestPeers.ShutDown(pair.Client, System.Net.Sockets.SocketShutdown.Send);
        await Assert.ThrowsAsync<IOException>(async () => _ = await server.Stream.ReadAsync(new byte[200], NoiseTestPeers.Timeout()));
    }

    [Fact]
    public async Task Clean_end_between_frames_reads_zero()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var (client, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        await client.Stream.WriteAsync(new byte[] { 9 }, NoiseTestPeers.Timeout());
        NoiseTestPeers.ShutDown(pair.Client, System.Net.Sockets.SocketShutdown.Send);
        var buffer = new byte[10];
        Assert.Equal(1, await server.Stream.ReadAsync(buffer, NoiseTestPeers.Timeout()));
        Assert.Equal(0, await server.Stream.ReadAsync(buffer, NoiseTestPeers.Timeout()));
        Assert.Equal(0, await server.Stream.ReadAsync(buffer, NoiseTestPeers.Timeout()));
    }
}
