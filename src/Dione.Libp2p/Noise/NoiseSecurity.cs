using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Noise;

/// <summary>
/// libp2p's Noise secure channel, <c>/noise</c> (specs/noise): an XX handshake with X25519, ChaCha20-Poly1305 and
/// SHA-256 that authenticates both peers' identity keys, then length-prefixed encrypted frames.
/// On failure the handshake throws and leaves the transport to the caller to dispose.
/// </summary>
public static class NoiseSecurity
{
    /// <summary>The protocol id negotiated with multistream-select.</summary>
    public const string ProtocolId = "/noise";

    /// <summary>Runs the handshake as the initiator (dialer).</summary>
    /// <param name="transport">The raw connection.</param>
    /// <param name="identity">Our identity key, which signs our Noise static key.</param>
    /// <param name="expectedRemote">When not null, the authenticated remote peer must be this one.</param>
    /// <param name="localMuxers">Muxer protocol ids we support, most preferred first (may be empty).</param>
    /// <param name="ct">Cancels the handshake; bounds every wait for the peer.</param>
    /// <exception cref="NoiseHandshakeException">The peer failed the handshake or is not <paramref name="expectedRemote"/>.</exception>
    public static Task<NoiseConnection> SecureOutboundAsync(
        Stream transport,
        PrivateKey identity,
        PeerId? expectedRemote,
        IReadOnlyList<string> localMuxers,
        CancellationToken ct) =>
        NoiseHandshake.RunAsync(initiator: true, transport, identity, expectedRemote, localMuxers, overrides: null, ct);

    /// <summary>Runs the handshake as the responder (listener), accepting any authenticated peer.</summary>
    /// <param name="transport">The raw connection.</param>
    /// <param name="identity">Our identity key, which signs our Noise static key.</param>
    /// <param name="localMuxers">Muxer protocol ids we support (may be empty).</param>
    /// <param name="ct">Cancels the handshake; bounds every wait for the peer.</param>
    /// <exception cref="NoiseHandshakeException">The peer failed the handshake.</exception>
    public static Task<NoiseConnection> SecureInboundAsync(
        Stream transport,
        PrivateKey identity,
        IReadOnlyList<string> localMuxers,
        CancellationToken ct) =>
        NoiseHandshake.RunAsync(initiator: false, transport, identity, expectedRemote: null, localMuxers, overrides: null, ct);

    /// <summary>The initiator's handshake with a host-wide static key (see <see cref="NoiseLocalIdentity"/>).</summary>
    internal static Task<NoiseConnection> SecureOutboundAsync(Stream transport, NoiseLocalIdentity local, PeerId? expectedRemote, CancellationToken ct) =>
        NoiseHandshake.RunAsync(initiator: true, transport, local, expectedRemote, ct);

    /// <summary>The responder's handshake with a host-wide static key (see <see cref="NoiseLocalIdentity"/>).</summary>
    internal static Task<NoiseConnection> SecureInboundAsync(Stream transport, NoiseLocalIdentity local, CancellationToken ct) =>
        NoiseHandshake.RunAsync(initiator: false, transport, local, expectedRemote: null, ct);
}
