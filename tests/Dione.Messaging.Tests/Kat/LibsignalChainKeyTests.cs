using System.Security.Cryptography;
using System.Text;

namespace Dione.Messaging.Tests.Kat;

/// <summary>
/// libsignal's KDF_CK vector (Vectors/libsignal-chain-key.json) through a KDF_CK-shaped function built on the same
/// System.Security.Cryptography calls the ratchet uses. The JSON is meant to be reused by the ratchet's own tests.
/// </summary>
public class LibsignalChainKeyTests
{
    [Fact]
    public void Chain_key_step_and_message_keys_match_libsignal()
    {
        var vector = VectorFile.Load("libsignal-chain-key.json");
        var (next, messageKeySeed) = KdfCk(vector.Hex("chain_key"), vector.Hex("message_key_constant")[0], vector.Hex("chain_key_constant")[0]);
        Assert.Equal(vector.Hex("next_chain_key"), next);

        var keys = new byte[(int)vector["message_keys_length"]!];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, messageKeySeed, keys, [], Encoding.ASCII.GetBytes(vector.Text("message_keys_info")));
        Assert.Equal(vector.Hex("cipher_key"), keys[..32]);
        Assert.Equal(vector.Hex("mac_key"), keys[32..64]);
    }

    /// <summary>Signal Double Ratchet KDF_CK: HMAC-SHA-256(ck, 0x02) is the next chain key, HMAC-SHA-256(ck, 0x01) the message key.</summary>
    private static (byte[] NextChainKey, byte[] MessageKey) KdfCk(byte[] chainKey, byte messageConstant, byte chainConstant) =>
        (HMACSHA256.HashData(chainKey, new[] { chainConstant }), HMACSHA256.HashData(chainKey, new[] { messageConstant }));
}
