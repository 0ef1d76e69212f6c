namespace Dione.Libp2p.Identity;

/// <summary>
/// Strict DER for ECDSA signatures: <c>SEQUENCE { INTEGER r, INTEGER s }</c>, minimal lengths, positive values,
/// nothing trailing (BIP 62 / X.690 DER). Values are handled as unsigned big-endian magnitudes.
/// </summary>
internal static class EcdsaDerSignature
{
    private const byte SequenceTag = 0x30;
    private const byte IntegerTag = 0x02;

    /// <summary>Splits a DER signature into r and s (without sign padding); false when it is not strict DER
    /// or a value is zero or longer than <paramref name="maxScalarLength"/> bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> der, int maxScalarLength, out byte[] r, out byte[] s)
    {
        r = s = [];
        if (der.Length < 2 || der[0] != SequenceTag || !TryReadLength(der[1..], out var length, out var lengthSize))
        {
            return false;
        }
        var body = der[(1 + lengthSize)..];
        if (body.Length != length)
        {
            return false;
        }
        if (!TryReadInteger(ref body, maxScalarLength, out r) || !TryReadInteger(ref body, maxScalarLength, out s))
        {
            return false;
        }
        return body.IsEmpty;
    }

    /// <summary>Encodes r and s (unsigned big-endian, leading zeros allowed) as a DER signature.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s)
    {
        var rInteger = EncodeInteger(r);
        var sInteger = EncodeInteger(s);
        var contentLength = rInteger.Length + sInteger.Length;
        byte[] header = contentLength < 0x80 ? [SequenceTag, (byte)contentLength] : [SequenceTag, 0x81, (byte)contentLength];
        return [.. header, .. rInteger, .. sInteger];
    }

    private static byte[] EncodeInteger(ReadOnlySpan<byte> magnitude)
    {
        var start = 0;
        while (start < magnitude.Length - 1 && magnitude[start] == 0)
        {
            start++;
        }
        var value = magnitude[start..];
        var pad = value.Length == 0 || (value[0] & 0x80) != 0;
        var length = value.Length + (pad ? 1 : 0);
        var encoded = new byte[2 + length];
        encoded[0] = IntegerTag;
        encoded[1] = (byte)length;
        value.CopyTo(encoded.AsSpan(2 + (pad ? 1 : 0)));
        return encoded;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> source, out int length, out int size)
    {
        length = size = 0;
        if (source.IsEmpty)
        {
            return false;
        }
        if (source[0] < 0x80)
        {
            (length, size) = (source[0], 1);
            return true;
        }
        // Only the one-byte long form can be minimal for the sizes ECDSA signatures reach.
        if (source[0] != 0x81 || source.Length < 2 || source[1] < 0x80)
        {
            return false;
        }
        (length, size) = (source[1], 2);
        return true;
    }

    private static bool TryReadInteger(ref ReadOnlySpan<byte> source, int maxScalarLength, out byte[] magnitude)
    {
        magnitude = [];
        if (source.Length < 2 || source[0] != IntegerTag || source[1] >= 0x80)
        {
            return false;
        }
        int length = source[1];
        if (length == 0 || source.Length < 2 + length)
        {
            return false;
        }
        var value = source.Slice(2, length);
        if ((value[0] & 0x80) != 0)
        {
            return false; // negative
        }
        if (value[0] == 0 && (value.Length == 1 || (value[1] & 0x80) == 0))
        {
            return false; // zero, or a needless leading zero byte
        }
        if (value[0] == 0)
        {
            value = value[1..];
        }
        if (value.Length > maxScalarLength)
        {
            return false;
        }
        magnitude = value.ToArray();
        source = source[(2 + length)..];
        return true;
    }
}
