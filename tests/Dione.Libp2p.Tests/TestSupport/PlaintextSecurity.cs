using Dione.Libp2p.Framing;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Security;

namespace Dione.Libp2p.Tests.TestSupport;

/// <summary>
/// A test-only security protocol that authenticates nothing and encrypts nothing: each side sends its public key,
/// length-prefixed, and the peer id is derived from the key received. It agrees on no muxer in the handshake, so the
/// muxer is then negotiated with multistream-select.
/// </summary>
public sealed class PlaintextSecurity(PrivateKey identity, string protocolId = PlaintextSecurity.DefaultId) : ISecurityProtocol
{
    public const string DefaultId = "/dione-test/plaintext/1.0.0";

    public string ProtocolId { get; } = protocolId;

    public static SecurityProtocolFactory Factory(string protocolId = DefaultId) => (identity, _) => new PlaintextSecurity(identity, protocolId);

    public Task<SecuredConnection> SecureOutboundAsync(Stream transport, PeerId? expectedRemote, CancellationToken cancellationToken) =>
        ExchangeAsync(transport, expectedRemote, cancellationToken);

    public Task<SecuredConnection> SecureInboundAsync(Stream transport, CancellationToken cancellationToken) =>
        ExchangeAsync(transport, null, cancellationToken);

    private async Task<SecuredConnection> ExchangeAsync(Stream transport, PeerId? expectedRemote, CancellationToken cancellationToken)
    {
        await LengthPrefixed.WriteAsync(transport, identity.PublicKey.ToProtobuf(), cancellationToken);
        await transport.FlushAsync(cancellationToken);
        var encoded = await LengthPrefixed.ReadAsync(transport, 1024, cancellationToken)
            ?? throw new IOException("the peer closed the connection before sending its key");
        var key = PublicKey.FromProtobuf(encoded);
        var peer = PeerId.FromPublicKey(key);
        if (expectedRemote is not null && peer != expectedRemote)
        {
            throw new IOException($"expected {expectedRemote}, the peer is {peer}");
        }
        return new SecuredConnection(transport, peer, key, Muxer: null);
    }
}
