using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Dione.Libp2p.Noise;

/// <summary>
/// The receiving half of a <see cref="NoiseStream"/>. Reads ahead from the transport into one pooled buffer, parses
/// 2-byte-length frames out of it and decrypts each: straight into the caller's buffer when it is large enough,
/// otherwise in place, keeping the rest of the plaintext for the next reads.
/// </summary>
internal sealed class NoiseFrameReader : IDisposable
{
    /// <summary>Room for several maximal frames, so the transport is read in large chunks.</summary>
    internal const int BufferSize = 256 * 1024;

    private readonly Stream _transport;
    private readonly NoiseCipherState _cipher;
    private readonly NoiseAccessGuard _guard;
    private byte[]? _buffer;

    // Undecrypted bytes are _buffer[_start.._end); pending plaintext is _buffer[_plainStart.._plainEnd).
    private int _start;
    private int _end;
    private int _plainStart;
    private int _plainEnd;

    public NoiseFrameReader(Stream transport, NoiseCipherState cipher)
    {
        _transport = transport;
        _cipher = cipher;
        _guard = new NoiseAccessGuard("read", Release);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        _guard.Enter();
        try
        {
            while (true)
            {
                var copied = ReadBuffered(destination.Span);
                if (copied > 0 || destination.IsEmpty)
                {
                    return copied;
                }
                var read = await _transport.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                if (!Received(read))
                {
                    return 0;
                }
            }
        }
        catch (IOException e)
        {
            _guard.Fault(e.Message);
            throw;
        }
        finally
        {
            _guard.Exit();
        }
    }

    public int Read(Span<byte> destination)
    {
        _guard.Enter();
        try
        {
            while (true)
            {
                var copied = ReadBuffered(destination);
                if (copied > 0 || destination.IsEmpty)
                {
                    return copied;
                }
                if (!Received(_transport.Read(_buffer.AsSpan(_end))))
                {
                    return 0;
                }
            }
        }
        catch (IOException e)
        {
            _guard.Fault(e.Message);
            throw;
        }
        finally
        {
            _guard.Exit();
        }
    }

    public void Dispose() => _guard.Dispose();

    /// <summary>Accounts for <paramref name="read"/> new bytes; false at a clean end of stream (between frames).</summary>
    private bool Received(int read)
    {
        if (read > 0)
        {
            _end += read;
            return true;
        }
        if (_end == _start)
        {
            return false;
        }
        throw new IOException($"the transport ended inside a Noise frame ({_end - _start} bytes of it received)");
    }

    /// <summary>
    /// Copies pending plaintext, or decrypts the complete buffered frames that fit into <paramref name="destination"/>
    /// (several when they fit, so a read is not limited to one frame). When the first frame is larger than
    /// <paramref name="destination"/> it is decrypted in place and the remainder kept for the next reads.
    /// Returns 0 when more transport bytes are needed, having made room for them at <c>_end</c>.
    /// </summary>
    private int ReadBuffered(Span<byte> destination)
    {
        if (_plainEnd > _plainStart)
        {
            var count = Math.Min(destination.Length, _plainEnd - _plainStart);
            _buffer.AsSpan(_plainStart, count).CopyTo(destination);
            _plainStart += count;
            return count;
        }
        _buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
        var total = 0;
        while (total < destination.Length)
        {
            var available = _end - _start;
            if (available < NoiseLimits.LengthPrefixLength)
            {
                MakeRoom(NoiseLimits.LengthPrefixLength);
                return total;
            }
            var messageLength = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start));
            if (messageLength < NoiseLimits.TagLength)
            {
                throw new IOException($"Noise frame of {messageLength} bytes is shorter than its authentication tag");
            }
            var frameLength = NoiseLimits.LengthPrefixLength + messageLength;
            if (available < frameLength)
            {
                MakeRoom(frameLength);
                return total;
            }
            var messageStart = _start + NoiseLimits.LengthPrefixLength;
            var ciphertext = _buffer.AsSpan(messageStart, messageLength);
            var plaintextLength = messageLength - NoiseLimits.TagLength;
            var room = destination[total..];
            if (room.Length >= plaintextLength)
            {
                // An empty frame is legal and is not the end of the stream: it just adds nothing.
                Decrypt(ciphertext, room[..plaintextLength]);
                _start += frameLength;
                total += plaintextLength;
                continue;
            }
            if (total > 0)
            {
                return total;
            }
            Decrypt(ciphertext, ciphertext[..plaintextLength]);
            _start += frameLength;
            _plainStart = messageStart;
            _plainEnd = messageStart + plaintextLength;
            return ReadBuffered(destination);
        }
        return total;
    }

    /// <summary>Ensures a frame of <paramref name="frameLength"/> bytes starting at <c>_start</c> fits the buffer.</summary>
    private void MakeRoom(int frameLength)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start + frameLength > _buffer!.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
    }

    private void Decrypt(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        try
        {
            _cipher.Decrypt(ReadOnlySpan<byte>.Empty, ciphertext, plaintext);
        }
        catch (CryptographicException e)
        {
            throw new IOException("Noise frame failed to decrypt (corrupted or forged data)", e);
        }
    }

    private void Release()
    {
        _cipher.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
