using System.Net.Sockets;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>Runs both sides of a Noise handshake; a side that fails closes its socket so the other one ends too.</summary>
internal static class NoiseTestPeers
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static CancellationToken Timeout() => new CancellationTokenSource(Deadline).Token;

    /// <summary>Runs <paramref name="handshake"/>; on failure shuts the socket down (so the peer sees the end) and rethrows.</summary>
    public static async Task<NoiseConnection> ClosingOnFailure(NetworkStream transport, Func<Task<NoiseConnection>> handshake)
    {
        try
        {
            return await handshake();
        }
        catch
        {
            ShutDown(transport);
            throw;
        }
    }

    public static void ShutDown(NetworkStream transport, SocketShutdown how = SocketShutdown.Both)
    {
        try
        {
            transport.Socket.Shutdown(how);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public static Task<NoiseConnection> Outbound(
        NetworkStream transport,
        PrivateKey key,
        PeerId? expected,
        IReadOnlyList<string>? muxers = null,
        NoiseHandshakeOverrides? overrides = null,
        CancellationToken ct = default) =>
        ClosingOnFailure(transport, () => NoiseHandshake.RunAsync(
            initiator: true, transport, key, expected, muxers ?? [], overrides, ct == default ? Timeout() : ct));

    public static Task<NoiseConnection> Inbound(
        NetworkStream transport,
        PrivateKey key,
        IReadOnlyList<string>? muxers = null,
        NoiseHandshakeOverrides? overrides = null,
        CancellationToken ct = default) =>
        ClosingOnFailure(transport, () => NoiseHandshake.RunAsync(
            initiator: false, transport, key, expectedRemote: null, muxers ?? [], overrides, ct == default ? Timeout() : ct));

    /// <summary>A completed handshake over <paramref name="client"/> and <paramref name="server"/>.</summary>
    public static async Task<(NoiseConnection Client, NoiseConnection Server)> ConnectAsync(
        NetworkStream client,
        NetworkStream server,
        IReadOnlyList<string>? clientMuxers = null,
        IReadOnlyList<string>? serverMuxers = null)
    {
        var clientKey = PrivateKey.Generate(KeyType.Ed25519);
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var serverTask = Inbound(server, serverKey, serverMuxers);
        var clientTask = Outbound(client, clientKey, PeerId.FromPublicKey(serverKey.PublicKey), clientMuxers);
        await Task.WhenAll(serverTask, clientTask).WaitAsync(Deadline);
        return (await clientTask, await serverTask);
    }
}
