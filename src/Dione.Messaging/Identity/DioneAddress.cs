using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Dione.Primitives.Encoding;

namespace Dione.Messaging.Identity;

/// <summary>
/// The shareable text form of an identity: multibase base32 (prefix 'b', RFC 4648 lowercase alphabet, no padding) of
/// <c>version (0x01) || Ed25519 public key (32) || checksum (4)</c>, where the checksum is the first four bytes of
/// SHA-256(version || key). 61 characters in all. The checksum catches typing and copying errors; the identity
/// key itself is what authenticates, so a user who compares the whole string compares the key.
/// </summary>
public static class DioneAddress
{
    /// <summary>The version byte this code writes and the only one it reads.</summary>
    public const byte Version = 0x01;

    /// <summary>The multibase prefix of base32 lowercase.</summary>
    public const char MultibasePrefix = 'b';

    /// <summary>Length of the address string: prefix plus 60 base32 characters for 37 bytes.</summary>
    public const int Length = 61;

    private const int ChecksumLength = 4;
    private const int PayloadLength = 1 + 32 + ChecksumLength;

    public static string Format(IdentityKey identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var payload = new byte[PayloadLength];
        payload[0] = Version;
        identity.Ed25519PublicKey.CopyTo(payload.AsSpan(1));
        Checksum(payload.AsSpan(0, 33)).CopyTo(payload.AsSpan(33));
        return MultibasePrefix + Rfc4648Codec.Base32Lower.Encode(payload);
    }

    /// <summary>Reads an address string back into the identity key.</summary>
    /// <exception cref="FormatException">with a message naming what is wrong: prefix, length, characters, version, checksum, or key.</exception>
    public static IdentityKey Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length == 0 || address[0] != MultibasePrefix)
        {
            throw new FormatException($"a Dione address starts with the multibase prefix '{MultibasePrefix}' (base32 lowercase)");
        }
        if (address.Length != Length)
        {
            throw new FormatException($"a Dione address is {Length} characters long, this one has {address.Length}");
        }
        // 37 bytes fill 296 of the 60 characters' 300 bits: the last character carries one bit and four zero bits, so
        // only 'a' and 'q' end an address. Another base32 character there is a typo like any other (the codec would
        // call it "non-zero trailing bits"); a character outside the alphabet is left to the codec to name.
        if (address[^1] is not ('a' or 'q') && Rfc4648Codec.Base32Alphabet.Contains(address[^1], StringComparison.Ordinal))
        {
            throw ChecksumMismatch();
        }
        var payload = Rfc4648Codec.Base32Lower.Decode(address.AsSpan(1));
        // The checksum covers the version too, and is checked first: a typo in the version character is a typo, and
        // only an address that is intact says it is of a version this code does not read.
        if (!payload.AsSpan(33).SequenceEqual(Checksum(payload.AsSpan(0, 33))))
        {
            throw ChecksumMismatch();
        }
        if (payload[0] != Version)
        {
            throw new FormatException($"unknown Dione address version {payload[0]} (this code reads version {Version})");
        }
        if (!IdentityKey.TryFromEd25519(payload.AsSpan(1, 32), out var key))
        {
            throw new FormatException("the Dione address holds no valid Ed25519 identity key");
        }
        return key;
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string? address, [NotNullWhen(true)] out IdentityKey? identity)
    {
        identity = null;
        if (address is null)
        {
            return false;
        }
        try
        {
            identity = Parse(address);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static FormatException ChecksumMismatch() =>
        new("the Dione address checksum does not match (a typing or copying error)");

    private static byte[] Checksum(ReadOnlySpan<byte> versionAndKey) => SHA256.HashData(versionAndKey)[..ChecksumLength];
}
