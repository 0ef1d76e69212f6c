using System.Buffers.Binary;
using System.Net.Sockets;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>
/// A man in the middle over real TCP: forwards Noise frames (2-byte length + message) between a client end and a
/// server end, letting a test rewrite any frame. Frames are numbered per direction from 0.
/// </summary>
internal sealed class NoiseFrameRelay : IAsyncDisposable
{
    private readonly LoopbackPair _clientSide;
    private readonly LoopbackPair _serverSide;
    private readonly Task _pumps;

    private NoiseFrameRelay(LoopbackPair clientSide, LoopbackPair serverSide, Func<bool, int, byte[], byte[]> rewrite)
    {
        _clientSide = clientSide;
        _serverSide = serverSide;
        _pumps = Task.WhenAll(
            PumpAsync(clientSide.Server, serverSide.Client, clientToServer: true, rewrite),
            PumpAsync(serverSide.Client, clientSide.Server, clientToServer: false, rewrite));
    }

    /// <summary>The dialer's transport.</summary>
    public NetworkStream Client => _clientSide.Client;

    /// <summary>The listener's transport.</summary>
    public NetworkStream Server => _serverSide.Server;

    /// <param name="rewrite">(clientToServer, frameIndex, message) → message to forward.</param>
    public static async Task<NoiseFrameRelay> CreateAsync(Func<bool, int, byte[], byte[]> rewrite) =>
        new(await LoopbackPair.CreateAsync(), await LoopbackPair.CreateAsync(), rewrite);

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, bool clientToServer, Func<bool, int, byte[], byte[]> rewrite)
    {
        try
        {
            var prefix = new byte[2];
            for (var index = 0; ; index++)
            {
                await from.ReadExactlyAsync(prefix);
                var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await from.ReadExactlyAsync(message);
                message = rewrite(clientToServer, index, message);
                var frame = new byte[2 + message.Length];
                BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
                message.CopyTo(frame, 2);
                await to.WriteAsync(frame);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        NoiseTestPeers.ShutDown(to, SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _clientSide.DisposeAsync();
        await _serverSide.DisposeAsync();
        await _pumps.WaitAsync(NoiseTestPeers.Deadline);
    }
}
