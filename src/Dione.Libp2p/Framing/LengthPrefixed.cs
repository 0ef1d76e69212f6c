using System.Buffers;
using Dione.Libp2p.Multiformats;
using Google.Protobuf;

namespace Dione.Libp2p.Framing;

/// <summary>
/// Unsigned-varint length-prefixed messages, the framing that identify, kad and most libp2p
/// protocols use on a stream: uvarint payload length, then the payload.
/// </summary>
/// <remarks>
/// Reading errors: <see cref="InvalidDataException"/> when the announced length exceeds the limit (checked
/// before anything is allocated; within the limit, memory grows only as the payload arrives), for a malformed prefix (longer than 9 bytes or not minimally encoded) or an undecodable protobuf;
/// <see cref="EndOfStreamException"/> when the stream ends inside a message. A stream that ends cleanly
/// before a message's first byte yields null. Writers send the prefix and payload in one write and do not flush.
/// </remarks>
public static class LengthPrefixed
{
    /// <summary>Reads one message; null at a clean end of stream before its first byte.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        ulong? announced;
        try
        {
            announced = await Varint.ReadAsync(stream, ct).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException("malformed length prefix", e);
        }
        if (announced is not { } length)
        {
            return null;
        }
        if (length > (ulong)maxSize)
        {
            throw new InvalidDataException(
                $"length-prefixed message announces {length} bytes, more than the {maxSize}-byte limit");
        }
        if (length == 0)
        {
            return [];
        }
        return await ReadPayloadAsync(stream, (int)length, ct).ConfigureAwait(false);
    }

    /// <summary>Memory reserved for a payload before any of it has arrived; it then grows with what arrives.</summary>
    public const int InitialPayloadBuffer = 64 * 1024;

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes. The buffer grows as bytes arrive, so a peer that announces a
    /// large message and then stalls holds no more than <see cref="InitialPayloadBuffer"/> of our memory.
    /// </summary>
    private static async Task<byte[]> ReadPayloadAsync(Stream stream, int length, CancellationToken ct)
    {
        var payload = new byte[Math.Min(length, InitialPayloadBuffer)];
        var filled = 0;
        while (true)
        {
            await stream.ReadExactlyAsync(payload.AsMemory(filled), ct).ConfigureAwait(false);
            filled = payload.Length;
            if (filled == length)
            {
                return payload;
            }
            Array.Resize(ref payload, (int)Math.Min(length, 2L * filled));
        }
    }

    /// <summary>Writes the length prefix and <paramref name="payload"/> in one write.</summary>
    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefixLength = Varint.SizeOf((ulong)payload.Length);
        var total = prefixLength + payload.Length;
        var frame = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Varint.Write(frame, (ulong)payload.Length);
            payload.Span.CopyTo(frame.AsSpan(prefixLength));
            await stream.WriteAsync(frame.AsMemory(0, total), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// Reads one message and parses it with <paramref name="parser"/>; null at a clean end of stream.
    /// Throws <see cref="InvalidDataException"/> when the payload is not a valid <typeparamref name="T"/>,
    /// including a proto2 message that lacks a required field.
    /// </summary>
    public static async Task<T?> ReadMessageAsync<T>(Stream stream, MessageParser<T> parser, int maxSize, CancellationToken ct)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        var payload = await ReadAsync(stream, maxSize, ct).ConfigureAwait(false);
        if (payload is null)
        {
            return null;
        }
        T message;
        try
        {
            message = parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"payload is not a valid {typeof(T).Name}: {e.Message}", e);
        }
        if (!message.IsInitialized())
        {
            throw new InvalidDataException($"payload is not a valid {typeof(T).Name}: a required field is missing");
        }
        return message;
    }

    /// <summary>Serializes <paramref name="message"/> and writes it with its length prefix in one write.</summary>
    public static async Task WriteMessageAsync(Stream stream, IMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        var prefixLength = Varint.SizeOf((ulong)size);
        var total = prefixLength + size;
        var frame = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Varint.Write(frame, (ulong)size);
            message.WriteTo(frame.AsSpan(prefixLength, size));
            await stream.WriteAsync(frame.AsMemory(0, total), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }
}
