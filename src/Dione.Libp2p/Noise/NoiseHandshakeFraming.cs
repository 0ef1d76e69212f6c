using System.Buffers.Binary;

namespace Dione.Libp2p.Noise;

/// <summary>Handshake messages on the wire: a 2-byte big-endian length, then the message (at most 65535 bytes).</summary>
internal static class NoiseHandshakeFraming
{
    public static async Task WriteMessageAsync(Stream transport, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (message.Length > NoiseLimits.MaxMessageLength)
        {
            throw new NoiseHandshakeException($"handshake message of {message.Length} bytes exceeds 65535");
        }
        var frame = new byte[NoiseLimits.LengthPrefixLength + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.CopyTo(frame.AsMemory(NoiseLimits.LengthPrefixLength));
        await transport.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await transport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="NoiseHandshakeException">The transport ended before a whole message arrived.</exception>
    public static async Task<byte[]> ReadMessageAsync(Stream transport, CancellationToken cancellationToken)
    {
        var prefix = new byte[NoiseLimits.LengthPrefixLength];
        try
        {
            await transport.ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
            // A 16-bit length cannot exceed the Noise maximum, so this allocation is bounded at 64 KiB.
            var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await transport.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
            return message;
        }
        catch (EndOfStreamException e)
        {
            throw new NoiseHandshakeException("connection closed during the Noise handshake", e);
        }
    }
}
