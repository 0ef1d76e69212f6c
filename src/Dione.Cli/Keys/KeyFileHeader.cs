using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Dione.Cli.Keys;

/// <summary>
/// The clear start of a key file (docs/protocol.md, "Key export file"), 58 bytes: the format tag <c>DIONEKEY</c>,
/// the version (1), the KDF (1: Argon2id), its iterations and memory in KiB (each u32 big-endian), the 16-byte salt and
/// the 24-byte XChaCha20-Poly1305 nonce. The whole header is the AEAD's associated data, so a changed byte in it makes
/// the file fail to open like a changed byte in the ciphertext.
/// </summary>
public readonly record struct KeyFileHeader(KdfParameters Kdf, byte[] Salt, byte[] Nonce)
{
    public const byte CurrentVersion = 1;
    public const byte Argon2idKdf = 1;
    public const int SaltLength = 16;
    public const int NonceLength = 24;
    public const int Length = 8 + 1 + 1 + 4 + 4 + SaltLength + NonceLength;

    /// <summary>The format tag, ASCII <c>DIONEKEY</c>.</summary>
    public static ReadOnlySpan<byte> FormatTag => "DIONEKEY"u8;

    /// <summary>A header with a fresh random salt and nonce.</summary>
    public static KeyFileHeader Create(KdfParameters kdf) =>
        new(kdf, RandomNumberGenerator.GetBytes(SaltLength), RandomNumberGenerator.GetBytes(NonceLength));

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        FormatTag.CopyTo(bytes);
        bytes[8] = CurrentVersion;
        bytes[9] = Argon2idKdf;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(10), Kdf.Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(14), Kdf.MemoryKiB);
        Salt.CopyTo(bytes.AsSpan(18));
        Nonce.CopyTo(bytes.AsSpan(18 + SaltLength));
        return bytes;
    }

    /// <summary>Reads the header at the start of <paramref name="file"/>; its KDF parameters are checked against their bounds.</summary>
    /// <exception cref="KeyFileException">not a key file, a version this code does not read, or KDF parameters out of bounds.</exception>
    public static KeyFileHeader Parse(ReadOnlySpan<byte> file)
    {
        if (!file.StartsWith(FormatTag))
        {
            throw new KeyFileException("not a dione key file (it does not start with DIONEKEY)");
        }
        if (file.Length < Length)
        {
            throw new KeyFileException(KeyFileException.WrongPassphraseOrDamaged);
        }
        if (file[8] != CurrentVersion)
        {
            throw new KeyFileException($"key file version {file[8]} is not one this dione reads (it reads version {CurrentVersion})");
        }
        if (file[9] != Argon2idKdf)
        {
            throw new KeyFileException($"the key file names KDF {file[9]}, which this dione does not know (damaged, or made by a newer dione)");
        }
        var kdf = new KdfParameters(BinaryPrimitives.ReadUInt32BigEndian(file[10..]), BinaryPrimitives.ReadUInt32BigEndian(file[14..]));
        if (!kdf.IsWithinBounds)
        {
            throw new KeyFileException(
                $"the key file asks for a KDF cost of {kdf}, outside the bounds this dione accepts "
                + $"({KdfParameters.MinIterations}-{KdfParameters.MaxIterations} iterations, {KdfParameters.MinMemoryKiB}-{KdfParameters.MaxMemoryKiB} KiB): damaged or not made by dione");
        }
        return new KeyFileHeader(kdf, file.Slice(18, SaltLength).ToArray(), file.Slice(18 + SaltLength, NonceLength).ToArray());
    }
}
