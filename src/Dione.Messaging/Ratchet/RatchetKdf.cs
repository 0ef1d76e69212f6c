using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Addressing;

namespace Dione.Messaging.Ratchet;

/// <summary>
/// The KDF chains of Dione's header-encrypted Double Ratchet (Signal's Double Ratchet spec §4, plus the address seed).
/// All functions are pure; every key is 32 bytes. The labels and constants are normative (docs/protocol.md).
/// </summary>
public static class RatchetKdf
{
    /// <summary>Length of every key in the ratchet.</summary>
    public const int KeyLength = 32;

    /// <summary>The default <c>info</c> of KDF_RK_HE (a session option; both parties must use the same).</summary>
    public const string DefaultRatchetInfo = "Dione_Ratchet_v1";

    /// <summary>HKDF info that expands a message key into body key, body nonce (and, with its own label, the deletion token).</summary>
    public const string MessageKeyInfo = "Dione_MessageKey_v1";

    /// <summary>HKDF info of the deletion token, expanded from the same message-key PRK.</summary>
    public const string DeletionTokenInfo = "Dione_DeleteToken_v1";

    private const int BodyKeyLength = 32;
    private const int BodyNonceLength = 12;
    private static readonly byte[] MessageKeyConstant = [0x01];
    private static readonly byte[] ChainKeyConstant = [0x02];

    /// <summary>
    /// One root-chain step: PRK = HKDF-Extract(salt = RK, IKM = DH output); RK' ‖ CK ‖ NHK = HKDF-Expand(PRK, info, 96)
    /// (exactly Signal's KDF_RK_HE), and NAK = HKDF-Expand(PRK, "Dione_AddrChain_v1", 32), the address seed of the chain NHK belongs to.
    /// </summary>
    public static RootStepOutput RootStep(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput, string info)
    {
        RequireKey(rootKey, nameof(rootKey));
        RequireKey(dhOutput, nameof(dhOutput));
        Span<byte> prk = stackalloc byte[KeyLength];
        HKDF.Extract(HashAlgorithmName.SHA256, dhOutput, rootKey, prk);
        var okm = new byte[3 * KeyLength];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, Encoding.UTF8.GetBytes(info));
        var addressSeed = new byte[KeyLength];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, addressSeed, AddressChain.SeedInfoBytes);
        CryptographicOperations.ZeroMemory(prk);
        return new RootStepOutput(okm[..KeyLength], okm[KeyLength..(2 * KeyLength)], okm[(2 * KeyLength)..], addressSeed);
    }

    /// <summary>KDF_CK: MK = HMAC-SHA-256(CK, 0x01), CK' = HMAC-SHA-256(CK, 0x02).</summary>
    public static ChainStepOutput ChainStep(ReadOnlySpan<byte> chainKey)
    {
        RequireKey(chainKey, nameof(chainKey));
        return new ChainStepOutput(HMACSHA256.HashData(chainKey, MessageKeyConstant), HMACSHA256.HashData(chainKey, ChainKeyConstant));
    }

    /// <summary>
    /// PRK = HKDF-Extract(salt = 32 zero bytes, IKM = MK); body key ‖ body nonce = HKDF-Expand(PRK, "Dione_MessageKey_v1", 44);
    /// deletion token = HKDF-Expand(PRK, "Dione_DeleteToken_v1", 32).
    /// </summary>
    public static MessageKeyMaterial ExpandMessageKey(ReadOnlySpan<byte> messageKey)
    {
        RequireKey(messageKey, nameof(messageKey));
        Span<byte> prk = stackalloc byte[KeyLength];
        HKDF.Extract(HashAlgorithmName.SHA256, messageKey, stackalloc byte[KeyLength], prk);
        Span<byte> okm = stackalloc byte[BodyKeyLength + BodyNonceLength];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, Encoding.ASCII.GetBytes(MessageKeyInfo));
        var token = new byte[KeyLength];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, token, Encoding.ASCII.GetBytes(DeletionTokenInfo));
        var material = new MessageKeyMaterial(okm[..BodyKeyLength].ToArray(), okm[BodyKeyLength..].ToArray(), token);
        CryptographicOperations.ZeroMemory(prk);
        CryptographicOperations.ZeroMemory(okm);
        return material;
    }

    internal static void RequireKey(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"a ratchet key is {KeyLength} bytes", name);
        }
    }
}
