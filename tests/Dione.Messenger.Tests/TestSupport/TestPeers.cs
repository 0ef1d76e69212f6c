using Dione.Libp2p.Identity;

namespace Dione.Messenger.Tests.TestSupport;

internal static class TestPeers
{
    public static PeerId Random() => PeerId.FromPublicKey(Ed25519PrivateKey.Generate().PublicKey);
}
