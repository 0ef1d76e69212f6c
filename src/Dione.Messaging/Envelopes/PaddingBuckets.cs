namespace Dione.Messaging.Envelopes;

/// <summary>
/// Body padding: a plaintext is zero-filled to the smallest bucket that holds it, so a store learns only the bucket.
/// The true length travels in the encrypted header (<c>RatchetHeader.body_length</c>), so no marker byte is needed and
/// a bucket holds exactly its size. Buckets: 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB.
/// </summary>
public static class PaddingBuckets
{
    /// <summary>The bucket sizes in bytes, ascending.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [256, 1024, 4096, 16384, 65536];

    /// <summary>The largest plaintext a message can carry (64 KiB).</summary>
    public const int MaxPlaintextLength = 65536;

    /// <summary>The bucket a plaintext of <paramref name="length"/> bytes is padded to.</summary>
    /// <exception cref="ArgumentOutOfRangeException">negative or larger than <see cref="MaxPlaintextLength"/>.</exception>
    public static int BucketFor(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        foreach (var size in Sizes)
        {
            if (length <= size)
            {
                return size;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(length), length, $"a message carries at most {MaxPlaintextLength} bytes");
    }

    /// <summary>Whether <paramref name="length"/> is one of the bucket sizes.</summary>
    public static bool IsBucket(int length)
    {
        foreach (var size in Sizes)
        {
            if (length == size)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The plaintext followed by zeros up to its bucket.</summary>
    public static byte[] Pad(ReadOnlySpan<byte> plaintext)
    {
        var padded = new byte[BucketFor(plaintext.Length)];
        plaintext.CopyTo(padded);
        return padded;
    }

    /// <summary>The first <paramref name="length"/> bytes, after checking the padded buffer is a bucket and its fill is all zeros.</summary>
    /// <exception cref="FormatException">not a bucket size, length out of range, or non-zero fill.</exception>
    public static byte[] Unpad(ReadOnlySpan<byte> padded, int length)
    {
        if (!IsBucket(padded.Length) || length < 0 || length > padded.Length || BucketFor(length) != padded.Length)
        {
            throw new FormatException("the body length does not fit its padding bucket");
        }
        if (padded[length..].ContainsAnyExcept((byte)0))
        {
            throw new FormatException("the body padding is not all zeros");
        }
        return padded[..length].ToArray();
    }
}
