using System.Security.Cryptography;
using Dione.Messaging.Crypto;

namespace Dione.Messaging.Identity;

/// <summary>
/// The public half of a Dione identity: one Ed25519 public key. It verifies prekey signatures, and its X25519 form
/// (the birational map of <see cref="Ed25519KeyPair.PublicKeyToX25519"/>) is X3DH's IK in every DH computation.
/// Only keys that are valid, full-order Ed25519 points with an X25519 counterpart are accepted.
/// </summary>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    /// <summary>The type byte of <see cref="Encode"/>: "Dione Ed25519 identity key, version 1".</summary>
    public const byte EncodingType = 0x01;

    /// <summary>Length of <see cref="Encode"/>: the type byte and the 32-byte Ed25519 public key.</summary>
    public const int EncodedLength = 1 + Ed25519KeyPair.PublicKeyLength;

    private readonly byte[] _ed25519;
    private readonly byte[] _x25519;

    private IdentityKey(byte[] ed25519, byte[] x25519)
    {
        _ed25519 = ed25519;
        _x25519 = x25519;
    }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> Ed25519PublicKey => _ed25519;

    /// <summary>The 32-byte X25519 public key (u = (1 + y) / (1 − y)), used for X3DH's DH values.</summary>
    public ReadOnlySpan<byte> X25519PublicKey => _x25519;

    /// <exception cref="ArgumentException">not 32 bytes, not a valid full-order Ed25519 point, or without an X25519 counterpart.</exception>
    public static IdentityKey FromEd25519(ReadOnlySpan<byte> publicKey)
    {
        if (!TryFromEd25519(publicKey, out var key))
        {
            throw new ArgumentException("not a usable Ed25519 identity public key", nameof(publicKey));
        }
        return key;
    }

    /// <summary>Like <see cref="FromEd25519"/> but reports failure with false instead of an exception.</summary>
    public static bool TryFromEd25519(ReadOnlySpan<byte> publicKey, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IdentityKey? key)
    {
        key = null;
        if (publicKey.Length != Ed25519KeyPair.PublicKeyLength)
        {
            return false;
        }
        try
        {
            key = new IdentityKey(publicKey.ToArray(), Ed25519KeyPair.PublicKeyToX25519(publicKey));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// X3DH's Encode(PK) for Dione identities: <see cref="EncodingType"/> (0x01) followed by the 32-byte Ed25519 public key.
    /// The Edwards form is encoded, not the X25519 u-coordinate, because the map to u forgets the sign of x:
    /// two different Ed25519 keys (A and −A) share one u, and the associated data must name the exact signing key.
    /// </summary>
    public byte[] Encode()
    {
        var encoded = new byte[EncodedLength];
        encoded[0] = EncodingType;
        _ed25519.CopyTo(encoded, 1);
        return encoded;
    }

    /// <summary>Checks an Ed25519 signature made by this identity.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519KeyPair.Verify(_ed25519, message, signature);

    /// <summary>The shareable address string (see <see cref="DioneAddress"/>).</summary>
    public string ToAddress() => DioneAddress.Format(this);

    public override string ToString() => ToAddress();

    public bool Equals(IdentityKey? other) => other is not null && CryptographicOperations.FixedTimeEquals(_ed25519, other._ed25519);

    public override bool Equals(object? obj) => Equals(obj as IdentityKey);

    public override int GetHashCode() => BitConverter.ToInt32(_ed25519, 0);
}
