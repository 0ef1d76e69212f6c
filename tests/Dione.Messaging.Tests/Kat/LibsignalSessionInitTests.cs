using System.Text;
using Dione.Messaging.Crypto;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Tests.Kat;

/// <summary>
/// libsignal's session-initialisation vectors (Vectors/libsignal-session-init.json) reproduced through Dione's X3DH KDF
/// with libsignal's info string, from Bob's side and from Alice's side.
/// </summary>
public class LibsignalSessionInitTests
{
    public static TheoryData<int> Vectors() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Our_kdf_with_info_whisper_text_gives_libsignals_first_chain_key(int index)
    {
        var file = VectorFile.Load("libsignal-session-init.json");
        var vector = file["vectors"]![index]!;
        List<byte[]> dh;
        if (vector.Text("side") == "bob")
        {
            var identity = KeyPair(vector, "bob_identity");
            var signedPrekey = KeyPair(vector, "bob_signed_prekey");
            var aliceIdentity = Strip(vector.Hex("alice_identity_public"));
            var aliceBase = Strip(vector.Hex("alice_base_public"));
            dh = [signedPrekey.Agree(aliceIdentity), identity.Agree(aliceBase), signedPrekey.Agree(aliceBase)];
        }
        else
        {
            var identity = KeyPair(vector, "alice_identity");
            var ephemeral = KeyPair(vector, "alice_base");
            var bobIdentity = Strip(vector.Hex("bob_identity_public"));
            var bobSignedPrekey = Strip(vector.Hex("bob_signed_prekey_public"));
            dh = [identity.Agree(bobSignedPrekey), ephemeral.Agree(bobIdentity), ephemeral.Agree(bobSignedPrekey)];
        }
        var output = X3dhKdf.Derive(dh, Encoding.ASCII.GetBytes(file.Text("info")), 64);
        Assert.Equal(vector.Hex("expected_chain_key"), output[32..64]);
    }

    [Fact]
    public void A_different_info_gives_a_different_key()
    {
        var dh = new List<byte[]> { new byte[32], new byte[32], new byte[32] };
        Assert.NotEqual(X3dhKdf.Derive(dh, "WhisperText"u8, 64), X3dhKdf.Derive(dh, Encoding.ASCII.GetBytes(X3dhKdf.Info), 64));
    }

    /// <summary>The key pair from a private key, checked against the public key the vector gives.</summary>
    private static X25519KeyPair KeyPair(System.Text.Json.Nodes.JsonNode vector, string name)
    {
        var pair = X25519KeyPair.FromPrivateKey(vector.Hex(name + "_private"));
        Assert.Equal(Strip(vector.Hex(name + "_public")), pair.PublicKey);
        return pair;
    }

    /// <summary>libsignal serialises Curve25519 public keys with a leading type byte 0x05.</summary>
    private static byte[] Strip(byte[] libsignalPublicKey)
    {
        Assert.Equal(33, libsignalPublicKey.Length);
        Assert.Equal(0x05, libsignalPublicKey[0]);
        return libsignalPublicKey[1..];
    }
}
