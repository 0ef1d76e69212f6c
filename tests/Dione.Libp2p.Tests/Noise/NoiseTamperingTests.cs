using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>A man in the middle flips one byte of one frame; the side that reads it must refuse it.</summary>
public class NoiseTamperingTests
{
    public static TheoryData<int> Message1Offsets => [0, 17, 31];

    public static TheoryData<int> Message2Offsets => [0, 31, 32, 70, 79, 80, 100];

    public static TheoryData<int> Message3Offsets => [0, 47, 48, 60];

    [Theory]
    [MemberData(nameof(Message1Offsets))]
    public async Task Tampered_message_1_fails_the_handshake(int offset)
    {
        await using var relay = await NoiseFrameRelay.CreateAsync(Flip(clientToServer: true, frame: 0, offset));
        var (client, server) = Start(relay);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => client.WaitAsync(NoiseTestPeers.Deadline));
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => server.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Theory]
    [MemberData(nameof(Message2Offsets))]
    public async Task Tampered_message_2_fails_the_handshake(int offset)
    {
        await using var relay = await NoiseFrameRelay.CreateAsync(Flip(clientToServer: false, frame: 0, offset));
        var (client, server) = Start(relay);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => client.WaitAsync(NoiseTestPeers.Deadline));
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => server.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Theory]
    [MemberData(nameof(Message3Offsets))]
    public async Task Tampered_message_3_is_refused_by_the_responder(int offset)
    {
        await using var relay = await NoiseFrameRelay.CreateAsync(Flip(clientToServer: true, frame: 1, offset));
        var (client, server) = Start(relay);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => server.WaitAsync(NoiseTestPeers.Deadline));
        // The initiator finished before the responder saw message 3; its stream then sees the connection end.
        var connection = await client.WaitAsync(NoiseTestPeers.Deadline);
        var read = await ReadOrFailAsync(connection.Stream);
        Assert.True(read is 0 or -1);
    }

    [Fact]
    public async Task Tampered_transport_frame_raises_IOException_and_the_stream_stays_unusable()
    {
        await using var relay = await NoiseFrameRelay.CreateAsync(Flip(clientToServer: true, frame: 3, offset: 5));
        var (clientTask, serverTask) = Start(relay);
        var client = await clientTask.WaitAsync(NoiseTestPeers.Deadline);
        var server = await serverTask.WaitAsync(NoiseTestPeers.Deadline);
        var ct = NoiseTestPeers.Timeout();
        await client.Stream.WriteAsync(new byte[] { 1, 2, 3 }, ct);
        await client.Stream.WriteAsync(new byte[] { 4, 5, 6 }, ct);
        var buffer = new byte[3];
        await server.Stream.ReadExactlyAsync(buffer, ct);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
        await Assert.ThrowsAsync<IOException>(async () => _ = await server.Stream.ReadAsync(buffer, ct));
        await Assert.ThrowsAsync<IOException>(async () => _ = await server.Stream.ReadAsync(buffer, ct));
    }

    private static (Task<NoiseConnection> Client, Task<NoiseConnection> Server) Start(NoiseFrameRelay relay)
    {
        var serverTask = NoiseTestPeers.Inbound(relay.Server, PrivateKey.Generate(KeyType.Ed25519), ["/yamux/1.0.0"]);
        var clientTask = NoiseTestPeers.Outbound(relay.Client, PrivateKey.Generate(KeyType.Ed25519), expected: null, ["/yamux/1.0.0"]);
        return (clientTask, serverTask);
    }

    /// <summary>Flips the low bit of byte <paramref name="offset"/> of frame <paramref name="frame"/> in one direction
    /// (frames 0-1 of the client are handshake messages 1 and 3, frame 0 of the server is message 2).</summary>
    private static Func<bool, int, byte[], byte[]> Flip(bool clientToServer, int frame, int offset) =>
        (direction, index, message) =>
        {
            if (direction == clientToServer && index == frame)
            {
                message[offset] ^= 0x01;
            }
            return message;
        };

    /// <summary>Reads once: the count, or -1 when the read failed with an I/O error.</summary>
    private static async Task<int> ReadOrFailAsync(Stream stream)
    {
        try
        {
            return await stream.ReadAsync(new byte[16], NoiseTestPeers.Timeout());
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
