using System.Text;
using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Multistream;

/// <summary>
/// One multistream-select message on the wire: uvarint length (counting the trailing newline),
/// UTF-8 text, '\n'. Reads consume exactly one message and never read ahead, so whatever follows
/// the negotiation stays in the stream for the selected protocol.
/// </summary>
internal static class MultistreamMessage
{
    /// <summary>The listener's answer to a protocol it does not support.</summary>
    public const string NotAvailable = "na";

    /// <summary>The optional request for the listener's protocol list.</summary>
    public const string List = "ls";

    private const byte NewLine = (byte)'\n';

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes several messages back to back into one buffer, for a single write.</summary>
    public static byte[] Encode(params ReadOnlySpan<string> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            var length = StrictUtf8.GetByteCount(message) + 1;
            total += Varint.SizeOf((ulong)length) + length;
        }
        var buffer = new byte[total];
        var offset = 0;
        foreach (var message in messages)
        {
            var length = StrictUtf8.GetByteCount(message) + 1;
            offset += Varint.Write(buffer.AsSpan(offset), (ulong)length);
            offset += StrictUtf8.GetBytes(message, buffer.AsSpan(offset));
            buffer[offset++] = NewLine;
        }
        return buffer;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="protocol"/> can be proposed.</summary>
    public static void ValidateProtocolId(string protocol, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(protocol, parameterName);
        if (protocol.Length == 0)
        {
            throw new ArgumentException("protocol id is empty", parameterName);
        }
        if (protocol.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("protocol id contains a newline", parameterName);
        }
        if (protocol is NotAvailable or List or MultistreamSelect.ProtocolId)
        {
            throw new ArgumentException($"'{protocol}' is reserved by multistream-select", parameterName);
        }
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(protocol);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("protocol id is not valid UTF-16 text", parameterName, e);
        }
        if (byteCount + 1 > MultistreamSelect.MaxMessageLength)
        {
            throw new ArgumentException(
                $"protocol id is longer than {MultistreamSelect.MaxMessageLength - 1} UTF-8 bytes", parameterName);
        }
    }

    /// <summary>
    /// Reads one message and returns its text without the newline.
    /// Throws <see cref="ProtocolNegotiationException"/> on a malformed message and
    /// <see cref="EndOfStreamException"/> when the stream ends first.
    /// </summary>
    public static async Task<string> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ulong? announced;
        try
        {
            announced = await Varint.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new ProtocolNegotiationException("malformed multistream-select length prefix", e);
        }
        if (announced is not { } length)
        {
            throw new EndOfStreamException("stream ended before the next multistream-select message");
        }
        if (length == 0)
        {
            throw new ProtocolNegotiationException("empty multistream-select message (no trailing newline)");
        }
        if (length > MultistreamSelect.MaxMessageLength)
        {
            throw new ProtocolNegotiationException(
                $"multistream-select message of {length} bytes exceeds the {MultistreamSelect.MaxMessageLength}-byte limit");
        }
        var buffer = new byte[(int)length];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer[^1] != NewLine)
        {
            throw new ProtocolNegotiationException("multistream-select message does not end with a newline");
        }
        try
        {
            return StrictUtf8.GetString(buffer, 0, buffer.Length - 1);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolNegotiationException("multistream-select message is not valid UTF-8", e);
        }
    }

    /// <summary>A short, printable rendering of text received from a peer, for exception messages.</summary>
    public static string Quote(string received)
    {
        const int MaxShown = 64;
        var shown = received.Length <= MaxShown ? received : string.Concat(received.AsSpan(0, MaxShown), "…");
        var builder = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.Append('\'').ToString();
    }
}
