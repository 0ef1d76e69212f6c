using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Ratchet;

namespace Dione.Messaging.Addressing;

/// <summary>
/// Dione's mailbox-address chain, one per sending chain of the ratchet: address_i = HMAC-SHA-256(AK_i, 0x03),
/// AK_{i+1} = HMAC-SHA-256(AK_i, 0x04). AK_0 is the chain's address seed: for the two first chains from the X3DH secret
/// (<see cref="InitialSeeds"/>), afterwards from the root step that also makes the chain's header key
/// (<see cref="RatchetKdf.RootStep"/>). A one-way chain, so a key held now yields no earlier address.
/// </summary>
public static class AddressChain
{
    /// <summary>Length of an address and of an address chain key.</summary>
    public const int AddressLength = 32;

    /// <summary>HKDF info of the address seed expanded from each root step's PRK.</summary>
    public const string SeedInfo = "Dione_AddrChain_v1";

    /// <summary>HKDF info of the two initial address seeds expanded from the X3DH secret SK.</summary>
    public const string InitialSeedInfo = "Dione_AddrInit_v1";

    internal static readonly byte[] SeedInfoBytes = Encoding.ASCII.GetBytes(SeedInfo);
    private static readonly byte[] AddressConstant = [0x03];
    private static readonly byte[] NextKeyConstant = [0x04];

    /// <summary>address_i = HMAC-SHA-256(AK_i, 0x03).</summary>
    public static byte[] Address(ReadOnlySpan<byte> addressKey)
    {
        RatchetKdf.RequireKey(addressKey, nameof(addressKey));
        return HMACSHA256.HashData(addressKey, AddressConstant);
    }

    /// <summary>AK_{i+1} = HMAC-SHA-256(AK_i, 0x04).</summary>
    public static byte[] NextKey(ReadOnlySpan<byte> addressKey)
    {
        RatchetKdf.RequireKey(addressKey, nameof(addressKey));
        return HMACSHA256.HashData(addressKey, NextKeyConstant);
    }

    /// <summary>
    /// The address seeds of the session's first two chains: AK_A ‖ AK_B = HKDF-SHA-256(salt = 32 zero bytes, IKM = SK,
    /// info "Dione_AddrInit_v1", 64). AK_A seeds the initiator's first sending chain (header key shared_hka), AK_B the
    /// responder's (header key shared_nhkb).
    /// </summary>
    public static (byte[] Initiator, byte[] Responder) InitialSeeds(ReadOnlySpan<byte> sharedSecret)
    {
        RatchetKdf.RequireKey(sharedSecret, nameof(sharedSecret));
        var okm = new byte[2 * AddressLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, okm, stackalloc byte[AddressLength], Encoding.ASCII.GetBytes(InitialSeedInfo));
        return (okm[..AddressLength], okm[AddressLength..]);
    }
}
