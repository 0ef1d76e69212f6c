namespace Dione.Libp2p.Security;

/// <summary>
/// A capability a secured stream may offer to the muxer above it: instead of writing plaintext to the secured stream
/// (which encrypts it into a buffer of its own), the muxer seals each frame straight into its own send batch and
/// writes the batch to <see cref="Transport"/>. The payload is then read once and no second buffer is filled.
/// A security protocol whose records the muxer cannot lay out itself (TLS) simply does not implement it.
/// Sealing and writing the sealed bytes in order are the caller's duty; calls are serialised like writes.
/// </summary>
internal interface ISealingStream
{
    /// <summary>The stream below the secure channel, where sealed bytes are written.</summary>
    Stream Transport { get; }

    /// <summary>The sealed size of a <paramref name="headerLength"/>-byte header followed by <paramref name="payloadLength"/> bytes.</summary>
    int SealedLength(int headerLength, int payloadLength);

    /// <summary>A payload size (a lower bound, possibly 0 or less) whose sealed frame with the header fits in <paramref name="space"/> bytes.</summary>
    int PayloadRoom(int headerLength, int space);

    /// <summary>Seals <paramref name="header"/> and <paramref name="payload"/> into <paramref name="output"/>; returns the bytes written
    /// (exactly <see cref="SealedLength"/>).</summary>
    /// <exception cref="IOException">The channel cannot seal any more (nonces exhausted, earlier failure).</exception>
    int Seal(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, Span<byte> output);
}
