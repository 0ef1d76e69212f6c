using Dione.Libp2p.Identity;
using Dione.Libp2p.Security;

namespace Dione.Libp2p.Noise;

/// <summary>
/// Noise (<c>/noise</c>) as one of the host's security protocols. It keeps one static key per host, signed once
/// (specs/noise, "Static Key Authentication"), and offers the host's muxers in the <c>stream_muxers</c> extension
/// so that a peer offering one of them too skips multistream-select for the muxer.
/// </summary>
public sealed class NoiseSecurityProtocol : ISecurityProtocol
{
    private readonly NoiseLocalIdentity _local;

    /// <param name="identity">The host's identity key, which signs the static key.</param>
    /// <param name="muxerIds">The muxers to offer in the handshake, most preferred first (may be empty).</param>
    public NoiseSecurityProtocol(PrivateKey identity, IReadOnlyList<string> muxerIds)
    {
        _local = new NoiseLocalIdentity(identity, muxerIds);
    }

    /// <summary>Makes the protocol for a host; the default entry of <see cref="Host.Libp2pHostBuilder.WithSecurity"/>.</summary>
    public static SecurityProtocolFactory Factory { get; } = (identity, muxerIds) => new NoiseSecurityProtocol(identity, muxerIds);

    public string ProtocolId => NoiseSecurity.ProtocolId;

    public async Task<SecuredConnection> SecureOutboundAsync(Stream transport, PeerId? expectedRemote, CancellationToken cancellationToken) =>
        ToSecured(await NoiseSecurity.SecureOutboundAsync(transport, _local, expectedRemote, cancellationToken).ConfigureAwait(false));

    public async Task<SecuredConnection> SecureInboundAsync(Stream transport, CancellationToken cancellationToken) =>
        ToSecured(await NoiseSecurity.SecureInboundAsync(transport, _local, cancellationToken).ConfigureAwait(false));

    private static SecuredConnection ToSecured(NoiseConnection noise) => new(noise.Stream, noise.RemotePeer, noise.RemoteKey, noise.Muxer);
}
