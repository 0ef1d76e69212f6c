using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Dione.Libp2p.Noise;

/// <summary>
/// The sending half of a <see cref="NoiseStream"/>. Splits writes into frames of at most 65519 plaintext bytes,
/// encrypts them into one pooled buffer (prefix, ciphertext and tag contiguous) and hands the transport several
/// frames per write.
/// </summary>
internal sealed class NoiseFrameWriter : IDisposable
{
    /// <summary>Upper bound of one transport write: seven maximal frames fit.</summary>
    internal const int MaxBatchBytes = 512 * 1024;

    /// <summary>Largest payload remainder <see cref="Seal"/> copies into the header's frame rather than sealing apart.</summary>
    internal const int SealCopyLimit = 8 * 1024;

    /// <summary>Largest header <see cref="Seal"/> accepts (a frame must hold it and the copied remainder).</summary>
    internal const int MaxSealHeaderLength = 64;

    internal const int FrameOverhead = NoiseLimits.LengthPrefixLength + NoiseLimits.TagLength;

    private readonly Stream _transport;
    private readonly NoiseCipherState _cipher;
    private readonly NoiseAccessGuard _guard;

    public NoiseFrameWriter(Stream transport, NoiseCipherState cipher)
    {
        _transport = transport;
        _cipher = cipher;
        _guard = new NoiseAccessGuard("write", _cipher.Dispose);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _guard.Enter();
        byte[]? buffer = null;
        try
        {
            if (data.IsEmpty)
            {
                return;
            }
            buffer = ArrayPool<byte>.Shared.Rent(BatchLength(data.Length));
            var offset = 0;
            while (offset < data.Length)
            {
                var written = EncryptBatch(data.Span[offset..], buffer, out var consumed);
                offset += consumed;
                await _transport.WriteAsync(buffer.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Frames may be half sent and nonces are spent: the direction cannot be resumed.
            _guard.Fault(e.Message);
            if (e is CryptographicException)
            {
                throw new IOException(e.Message, e);
            }
            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _guard.Exit();
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        _guard.Enter();
        byte[]? buffer = null;
        try
        {
            if (data.IsEmpty)
            {
                return;
            }
            buffer = ArrayPool<byte>.Shared.Rent(BatchLength(data.Length));
            var offset = 0;
            while (offset < data.Length)
            {
                var written = EncryptBatch(data[offset..], buffer, out var consumed);
                offset += consumed;
                _transport.Write(buffer, 0, written);
            }
        }
        catch (Exception e)
        {
            _guard.Fault(e.Message);
            if (e is CryptographicException)
            {
                throw new IOException(e.Message, e);
            }
            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _guard.Exit();
        }
    }

    public void Dispose() => _guard.Dispose();

    /// <summary>
    /// The wire size of <see cref="Seal"/> for a <paramref name="headerLength"/>-byte header (1 to
    /// <see cref="MaxSealHeaderLength"/>) followed by <paramref name="payloadLength"/> payload bytes.
    /// </summary>
    internal static int SealedLength(int headerLength, int payloadLength)
    {
        var full = payloadLength / NoiseLimits.MaxPlaintextLength;
        var head = payloadLength % NoiseLimits.MaxPlaintextLength;
        var frames = 1 + full + (head > SealCopyLimit ? 1 : 0);
        return headerLength + payloadLength + (frames * FrameOverhead);
    }

    /// <summary>
    /// Encrypts <paramref name="header"/> followed by <paramref name="payload"/> as Noise frames into
    /// <paramref name="output"/> (exactly <see cref="SealedLength"/> bytes; the caller sends them in order), so that a
    /// muxer can frame its data in the final wire buffer. The payload is read once: full frames are encrypted straight
    /// from it; only a remainder of at most <see cref="SealCopyLimit"/> bytes is copied next to the header, otherwise
    /// the header travels in a frame of its own. Callers serialise their calls, like writes.
    /// </summary>
    /// <exception cref="IOException">The nonce space is exhausted or the direction failed before.</exception>
    internal int Seal(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, Span<byte> output)
    {
        if (header.IsEmpty || header.Length > MaxSealHeaderLength)
        {
            throw new ArgumentOutOfRangeException(nameof(header));
        }
        var length = SealedLength(header.Length, payload.Length);
        if (output.Length < length)
        {
            throw new ArgumentException("output is shorter than the sealed length", nameof(output));
        }
        _guard.Enter();
        try
        {
            var head = payload.Length % NoiseLimits.MaxPlaintextLength;
            var copied = head <= SealCopyLimit ? head : 0;
            var first = output[NoiseLimits.LengthPrefixLength..];
            header.CopyTo(first);
            payload[..copied].CopyTo(first[header.Length..]);
            var plaintextLength = header.Length + copied;
            BinaryPrimitives.WriteUInt16BigEndian(output, (ushort)(plaintextLength + NoiseLimits.TagLength));
            _cipher.Encrypt(ReadOnlySpan<byte>.Empty, first[..plaintextLength], first[..(plaintextLength + NoiseLimits.TagLength)]);
            var position = plaintextLength + FrameOverhead;
            position += EncryptBatch(payload[copied..], output[position..], out _);
            return position;
        }
        catch (Exception e)
        {
            _guard.Fault(e.Message);
            if (e is CryptographicException)
            {
                throw new IOException(e.Message, e);
            }
            throw;
        }
        finally
        {
            _guard.Exit();
        }
    }

    /// <summary>The wire size of <paramref name="plaintextLength"/> bytes, capped at one batch.</summary>
    private static int BatchLength(int plaintextLength)
    {
        var frames = (plaintextLength + NoiseLimits.MaxPlaintextLength - 1) / NoiseLimits.MaxPlaintextLength;
        return (int)Math.Min(MaxBatchBytes, plaintextLength + ((long)frames * FrameOverhead));
    }

    /// <summary>Encrypts as many whole frames of <paramref name="plaintext"/> as fit in <paramref name="output"/>.</summary>
    /// <returns>The bytes written to <paramref name="output"/>; <paramref name="consumed"/> is the plaintext used.</returns>
    private int EncryptBatch(ReadOnlySpan<byte> plaintext, Span<byte> output, out int consumed)
    {
        var position = 0;
        consumed = 0;
        while (consumed < plaintext.Length)
        {
            var chunk = Math.Min(plaintext.Length - consumed, NoiseLimits.MaxPlaintextLength);
            var frameLength = chunk + FrameOverhead;
            if (position + frameLength > output.Length)
            {
                break;
            }
            var messageLength = chunk + NoiseLimits.TagLength;
            BinaryPrimitives.WriteUInt16BigEndian(output[position..], (ushort)messageLength);
            _cipher.Encrypt(
                ReadOnlySpan<byte>.Empty,
                plaintext.Slice(consumed, chunk),
                output.Slice(position + NoiseLimits.LengthPrefixLength, messageLength));
            position += frameLength;
            consumed += chunk;
        }
        return position;
    }
}
