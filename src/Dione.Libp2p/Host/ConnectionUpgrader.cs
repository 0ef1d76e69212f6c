using Dione.Libp2p.Identity;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Muxing;
using Dione.Libp2p.Security;
using Dione.Libp2p.Transport;

namespace Dione.Libp2p.Host;

/// <summary>
/// Turns a raw transport connection into a <see cref="Connection"/> (specs/connections, "Upgrading connections"):
/// multistream-select agrees on a security protocol, its handshake authenticates the peer, then a stream muxer is
/// agreed, inside the handshake when both sides offer one in common (Noise's <c>stream_muxers</c>) and through
/// multistream-select otherwise. The dialer proposes in the order of its lists; the listener accepts any it has.
/// </summary>
/// <remarks>
/// With one choice configured the dialer negotiates lazily: the multistream header, the proposal and the first
/// handshake message leave in one flight, and the listener's answer is read with the handshake's reply. With several
/// it must wait for each answer, as a rejection means proposing the next.
/// </remarks>
internal sealed class ConnectionUpgrader
{
    private readonly IReadOnlyList<ISecurityProtocol> _security;
    private readonly IReadOnlyList<IStreamMuxer> _muxers;
    private readonly string[] _securityIds;
    private readonly string[] _muxerIds;
    private readonly HostLimits _limits;

    public ConnectionUpgrader(IReadOnlyList<ISecurityProtocol> security, IReadOnlyList<IStreamMuxer> muxers, HostLimits limits)
    {
        if (security.Count == 0 || muxers.Count == 0)
        {
            throw new ArgumentException("a host needs at least one security protocol and one stream muxer");
        }
        _security = security;
        _muxers = muxers;
        _securityIds = [.. security.Select(s => s.ProtocolId)];
        _muxerIds = [.. muxers.Select(m => m.ProtocolId)];
        _limits = limits;
    }

    public async Task<Connection> UpgradeOutboundAsync(TransportConnection transport, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        var (securityStream, security) = await SelectAsync(transport.Stream, _security, _securityIds, cancellationToken).ConfigureAwait(false);
        var secured = await security.SecureOutboundAsync(securityStream, expectedPeer, cancellationToken).ConfigureAwait(false);
        var (muxerStream, muxer) = secured.Muxer is null
            ? await SelectAsync(secured.Stream, _muxers, _muxerIds, cancellationToken).ConfigureAwait(false)
            : (secured.Stream, AgreedInHandshake(secured.Muxer));
        return CreateConnection(transport, security, secured, muxer, muxer.Start(muxerStream, isInitiator: true), Direction.Outbound);
    }

    public async Task<Connection> UpgradeInboundAsync(TransportConnection transport, CancellationToken cancellationToken)
    {
        var securityId = await MultistreamSelect.HandleAsync(transport.Stream, _securityIds.Contains, cancellationToken).ConfigureAwait(false);
        var security = _security[Array.IndexOf(_securityIds, securityId)];
        var secured = await security.SecureInboundAsync(transport.Stream, cancellationToken).ConfigureAwait(false);
        IStreamMuxer muxer;
        if (secured.Muxer is null)
        {
            var muxerId = await MultistreamSelect.HandleAsync(secured.Stream, _muxerIds.Contains, cancellationToken).ConfigureAwait(false);
            muxer = _muxers[Array.IndexOf(_muxerIds, muxerId)];
        }
        else
        {
            muxer = AgreedInHandshake(secured.Muxer);
        }
        return CreateConnection(transport, security, secured, muxer, muxer.Start(secured.Stream, isInitiator: false), Direction.Inbound);
    }

    /// <summary>The dialer's side of multistream-select over one of <paramref name="choices"/>, lazily when there is only one.</summary>
    private static async ValueTask<(Stream Stream, T Choice)> SelectAsync<T>(Stream stream, IReadOnlyList<T> choices, string[] ids, CancellationToken cancellationToken)
    {
        if (choices.Count == 1)
        {
            return (MultistreamSelect.SelectLazy(stream, ids[0]), choices[0]);
        }
        var id = await MultistreamSelect.SelectAsync(stream, ids, cancellationToken).ConfigureAwait(false);
        return (stream, choices[Array.IndexOf(ids, id)]);
    }

    private IStreamMuxer AgreedInHandshake(string muxerId)
    {
        var index = Array.IndexOf(_muxerIds, muxerId);
        return index >= 0 ? _muxers[index] : throw new ProtocolNegotiationException($"peer agreed on unknown muxer '{muxerId}'");
    }

    private Connection CreateConnection(
        TransportConnection transport, ISecurityProtocol security, SecuredConnection secured, IStreamMuxer muxer, IMuxedConnection session, Direction direction) =>
        new(transport, session, secured.RemotePeer, secured.RemoteKey, security.ProtocolId, muxer.ProtocolId, direction, _limits);
}
