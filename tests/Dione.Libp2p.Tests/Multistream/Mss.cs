using System.Text;
using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multistream;

/// <summary>Builds multistream-select wire bytes by hand for tests (independent of the code under test).</summary>
internal static class Mss
{
    public static readonly byte[] Header = [0x13, .. "/multistream/1.0.0\n"u8];
    public static readonly byte[] Na = [0x03, 0x6e, 0x61, 0x0a];
    public static readonly byte[] Ls = [0x03, 0x6c, 0x73, 0x0a];

    /// <summary>uvarint(length of text + 1) + UTF-8 text + '\n'.</summary>
    public static byte[] Msg(string text)
    {
        var body = Encoding.UTF8.GetBytes(text + "\n");
        return [.. Varint.Encode((ulong)body.Length), .. body];
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
