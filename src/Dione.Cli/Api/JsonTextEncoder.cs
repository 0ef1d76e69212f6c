using System.Text;
using System.Text.Encodings.Web;

namespace Dione.Cli.Api;

/// <summary>
/// Escapes in JSON strings only what RFC 8259 requires: the quotation mark, the backslash and the control characters
/// below U+0020. Everything else (<c>+</c> in base64, <c>&lt;</c>, letters such as ë, emoji outside the Basic
/// Multilingual Plane) is written as UTF-8 text, as kubo's Go encoder leaves it, so <c>--json</c> output and API
/// replies stay readable and comparable byte for byte.
/// </summary>
/// <remarks>
/// .NET's encoders cannot do this: <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> and
/// <c>JavaScriptEncoder.Create(UnicodeRanges.All)</c> still escape every character outside the Basic Multilingual
/// Plane (an emoji becomes <c>\uD83D\uDE42</c>) and a few inside it. A lone surrogate, which UTF-8 cannot carry, is
/// handed to the base class, which replaces it with U+FFFD, so the output is always valid UTF-8.
/// </remarks>
public sealed class JsonTextEncoder : JavaScriptEncoder
{
    public static JsonTextEncoder Instance { get; } = new();

    private JsonTextEncoder()
    {
    }

    /// <summary>The longest escape written for one character: <c>\u001F</c>.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        IndexOfFirstToEncode(new ReadOnlySpan<char>(text, textLength));

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        TryEncode(unicodeScalar, new Span<char>(buffer, bufferLength), out numberOfCharactersWritten);

    private int IndexOfFirstToEncode(ReadOnlySpan<char> text)
    {
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done
                || WillEncode(rune.Value))
            {
                return index;
            }
            index += consumed;
        }
        return -1;
    }

    private bool TryEncode(int unicodeScalar, Span<char> destination, out int written)
    {
        written = 0;
        if (!Rune.TryCreate(unicodeScalar, out var rune))
        {
            return false;
        }
        if (!WillEncode(unicodeScalar))
        {
            return rune.TryEncodeToUtf16(destination, out written);
        }
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => $"\\u{unicodeScalar:X4}",
        };
        if (!escape.AsSpan().TryCopyTo(destination))
        {
            return false;
        }
        written = escape.Length;
        return true;
    }
}
