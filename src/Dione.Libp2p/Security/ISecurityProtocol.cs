using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Security;

/// <summary>
/// A secure channel the host can agree on with multistream-select right after the transport connects
/// (specs/connections, "Upgrading connections"): it authenticates the remote peer's identity key and encrypts
/// everything after. Listed, most preferred first, in <see cref="Host.Libp2pHostBuilder.WithSecurity"/>.
/// On failure a handshake throws and leaves the transport stream to the caller to dispose.
/// </summary>
public interface ISecurityProtocol
{
    /// <summary>The protocol id, e.g. <c>/noise</c>.</summary>
    string ProtocolId { get; }

    /// <summary>Secures <paramref name="transport"/> as the side that dialed.</summary>
    /// <param name="expectedRemote">When not null, the authenticated peer must be this one or the handshake fails.</param>
    Task<SecuredConnection> SecureOutboundAsync(Stream transport, PeerId? expectedRemote, CancellationToken cancellationToken);

    /// <summary>Secures <paramref name="transport"/> as the side that accepted, for any authenticated peer.</summary>
    Task<SecuredConnection> SecureInboundAsync(Stream transport, CancellationToken cancellationToken);
}
