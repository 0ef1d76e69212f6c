using System.Security.Cryptography;

namespace Dione.Messaging.X3dh;

/// <summary>
/// X3DH's KDF (Signal X3DH §2.2): HKDF-SHA-256 with IKM = F || KM, F = 32 bytes of 0xFF, salt = 32 zero bytes,
/// and an application-chosen <c>info</c>. <see cref="Derive"/> takes <c>info</c> as a parameter so libsignal's
/// vectors ("WhisperText") run through the same code as Dione's own derivation (<see cref="Info"/>).
/// </summary>
public static class X3dhKdf
{
    /// <summary>Dione's X3DH info string.</summary>
    public const string Info = "Dione_X3DH_v1";

    /// <summary>Bytes Dione derives: SK, shared_hka, shared_nhkb and the key-confirmation key, 32 each.</summary>
    public const int DioneOutputLength = 4 * KeyLength;

    /// <summary>Length of every key the derivation produces.</summary>
    public const int KeyLength = 32;

    private const int DhLength = 32;

    /// <summary>
    /// HKDF-SHA-256(IKM = 0xFF×32 || concatenated DH outputs, salt = 0×32, info) to <paramref name="length"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentException">no DH output, or one that is not 32 bytes.</exception>
    public static byte[] Derive(IReadOnlyList<byte[]> dhOutputs, ReadOnlySpan<byte> info, int length)
    {
        ArgumentNullException.ThrowIfNull(dhOutputs);
        if (dhOutputs.Count == 0)
        {
            throw new ArgumentException("X3DH needs at least one DH output", nameof(dhOutputs));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var ikm = new byte[DhLength * (dhOutputs.Count + 1)];
        try
        {
            ikm.AsSpan(0, DhLength).Fill(0xFF);
            for (var i = 0; i < dhOutputs.Count; i++)
            {
                if (dhOutputs[i].Length != DhLength)
                {
                    throw new ArgumentException("an X25519 DH output is 32 bytes", nameof(dhOutputs));
                }
                dhOutputs[i].CopyTo(ikm, DhLength * (i + 1));
            }
            var output = new byte[length];
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, stackalloc byte[32], info);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary>Dione's derivation: <see cref="Derive"/> with info "Dione_X3DH_v1" to 128 bytes, split in four keys.</summary>
    internal static X3dhKeys DeriveDione(IReadOnlyList<byte[]> dhOutputs, byte[] associatedData)
    {
        var okm = Derive(dhOutputs, System.Text.Encoding.ASCII.GetBytes(Info), DioneOutputLength);
        try
        {
            return new X3dhKeys(
                new X3dhSecrets(okm[..32], okm[32..64], okm[64..96], associatedData),
                okm[96..128]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }
}
