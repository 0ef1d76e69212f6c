using System.Net.Sockets;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Yamux;
using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Host;

/// <summary>
/// Turns a raw TCP socket into a <see cref="Connection"/>: multistream-select, Noise, then Yamux, agreed inside the
/// Noise handshake when both sides offer it and through multistream-select otherwise.
/// </summary>
internal sealed class ConnectionUpgrader
{
    private static readonly string[] Muxers = [YamuxProtocol.Id];

    private readonly NoiseLocalIdentity _noiseIdentity;
    private readonly YamuxSettings _yamuxSettings;
    private readonly HostLimits _limits;
    private readonly ILoggerFactory? _loggerFactory;

    public ConnectionUpgrader(PrivateKey identity, YamuxSettings yamuxSettings, HostLimits limits, ILoggerFactory? loggerFactory)
    {
        // One Noise static key per host, signed once (specs/noise, "Static Key Authentication").
        _noiseIdentity = new NoiseLocalIdentity(identity, Muxers);
        _yamuxSettings = yamuxSettings;
        _limits = limits;
        _loggerFactory = loggerFactory;
    }

    public async Task<Connection> UpgradeOutboundAsync(Socket socket, Multiaddress remoteAddress, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        var transport = new NetworkStream(socket, ownsSocket: false);
        // Lazy: the multistream header, "/noise" and the first Noise message leave in the same round trip.
        var negotiated = MultistreamSelect.SelectLazy(transport, NoiseSecurity.ProtocolId);
        var secured = await NoiseSecurity.SecureOutboundAsync(negotiated, _noiseIdentity, expectedPeer, cancellationToken).ConfigureAwait(false);
        var muxerStream = secured.Stream;
        if (secured.Muxer is null)
        {
            muxerStream = MultistreamSelect.SelectLazy(secured.Stream, YamuxProtocol.Id);
        }
        else if (secured.Muxer != YamuxProtocol.Id)
        {
            throw new ProtocolNegotiationException($"peer agreed on unknown muxer '{secured.Muxer}'");
        }
        return CreateConnection(socket, muxerStream, isInitiator: true, secured, remoteAddress, Direction.Outbound);
    }

    public async Task<Connection> UpgradeInboundAsync(Socket socket, CancellationToken cancellationToken)
    {
        var transport = new NetworkStream(socket, ownsSocket: false);
        await MultistreamSelect.HandleAsync(transport, p => p == NoiseSecurity.ProtocolId, cancellationToken).ConfigureAwait(false);
        var secured = await NoiseSecurity.SecureInboundAsync(transport, _noiseIdentity, cancellationToken).ConfigureAwait(false);
        if (secured.Muxer is null)
        {
            await MultistreamSelect.HandleAsync(secured.Stream, p => p == YamuxProtocol.Id, cancellationToken).ConfigureAwait(false);
        }
        else if (secured.Muxer != YamuxProtocol.Id)
        {
            throw new ProtocolNegotiationException($"peer agreed on unknown muxer '{secured.Muxer}'");
        }
        var remoteAddress = Multiaddress.FromTcpEndPoint((System.Net.IPEndPoint)socket.RemoteEndPoint!);
        return CreateConnection(socket, secured.Stream, isInitiator: false, secured, remoteAddress, Direction.Inbound);
    }

    private Connection CreateConnection(Socket socket, Stream muxerStream, bool isInitiator, NoiseConnection secured, Multiaddress remoteAddress, Direction direction)
    {
        var session = new YamuxSession(muxerStream, isInitiator, _yamuxSettings, _loggerFactory?.CreateLogger<YamuxSession>());
        var localAddress = Multiaddress.FromTcpEndPoint((System.Net.IPEndPoint)socket.LocalEndPoint!);
        var connection = new Connection(
            socket, session, secured.RemotePeer, secured.RemoteKey, localAddress, remoteAddress.WithoutPeerId(), direction, _limits);
        session.Start();
        return connection;
    }
}
