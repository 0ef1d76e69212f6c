using Dione.Kademlia.Bootstrap;

namespace Dione.Kademlia.Tests.Bootstrap;

/// <summary>Malformed, truncated and hostile responses: each is refused with a <see cref="FormatException"/>.</summary>
public class DnsResponseParserHostileTests
{
    private const string Question = "085f646e7361646472076578616d706c6503636f6d00" + "00100001";

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static TheoryData<string, string> Hostile => new()
    {
        { "empty", "" },
        { "short header", "1234 8180 0001 0000 00" },
        { "a query, not a response", "1234 0100 0001 0000 0000 0000" + Question },
        { "question count lies", "1234 8180 0002 0000 0000 0000" + Question },
        { "answer count lies", "1234 8180 0001 0001 0000 0000" + Question },
        { "counts at the maximum", "1234 8180 ffff ffff ffff ffff" + Question },
        { "additional count lies", "1234 8180 0001 0000 0000 0003" + Question + "00 0029 04d0 00000000 0000" },
        { "question cut inside its name", "1234 8180 0001 0000 0000 0000 085f646e73" },
        { "question cut before its class", "1234 8180 0001 0000 0000 0000 0161 00 0010" },
        { "pointer to itself", "1234 8180 0001 0000 0000 0000 c00c 0010 0001" },
        { "pointer forwards", "1234 8180 0001 0000 0000 0000 c00e 00 0010 0001" },
        { "pointer past the end", "1234 8180 0001 0000 0000 0000 ffff 0010 0001" },
        { "pointer cut in half", "1234 8180 0001 0000 0000 0000 0161 0162 c0" },
        { "label after a pointer target loops back", "1234 8180 0001 0001 0000 0000" + "0161 c00c" + "0010 0001" + "c00c 0010 0001 00000000 0002 0141" },
        { "mutual pointers", "1234 8180 0001 0000 0000 0000 c00e c00c 0010 0001" },
        { "label type 01", "1234 8180 0001 0000 0000 0000 4161 00 0010 0001" },
        { "label type 10", "1234 8180 0001 0000 0000 0000 8161 00 0010 0001" },
        { "label runs past the end", "1234 8180 0001 0000 0000 0000 0a 6162636465" },
        { "name without its root byte", "1234 8180 0001 0000 0000 0000 0161 0162 0163" },
        { "name over 255 bytes", "1234 8180 0001 0000 0000 0000" + string.Concat(Enumerable.Repeat("3f" + new string('6', 126), 5)) + "00 0010 0001" },
        { "record cut in its fixed part", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 0000" },
        { "rdata length past the end", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 00000000 00ff 0568656c6c6f" },
        { "empty TXT rdata", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 00000000 0000" },
        { "TXT string longer than its rdata", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 00000000 0003 0568 65 0000000000" },
        { "CNAME rdata with bytes after the name", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0005 0001 00000000 0004 00 616263" },
        { "CNAME rdata cut inside the name", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0005 0001 00000000 0002 0362 636400" },
        { "authority record cut", "1234 8180 0001 0000 0001 0000" + Question + "c00c 0002 0001 00000000 0010 00" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Is_refused(string why, string hex)
    {
        var message = Hex(hex);

        var error = Assert.Throws<FormatException>(() => DnsResponseParser.Parse(message));
        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    [Fact]
    public void Oversized_message_is_refused()
    {
        Assert.Throws<FormatException>(() => DnsResponseParser.Parse(new byte[DnsResponseParser.MaxMessageLength + 1]));
    }

    /// <summary>Names a, a.a, a.a.a, … after a header, each written as one label and a pointer to the previous name.</summary>
    private static (byte[] Message, int LastOffset) PointerChain(int names)
    {
        var bytes = new List<byte>(DnsMessageBuilder.Header(1, DnsMessageBuilder.ResponseFlags(), 0, 0));
        var previous = -1;
        for (var i = 0; i < names; i++)
        {
            var offset = bytes.Count;
            bytes.AddRange([1, (byte)'a']);
            bytes.AddRange(previous < 0 ? [0] : DnsMessageBuilder.Pointer(previous));
            previous = offset;
        }
        return ([.. bytes], previous);
    }

    [Fact]
    public void Longest_legal_pointer_chain_is_read()
    {
        // 127 one-byte labels and the root: 255 bytes, reached through 126 pointers.
        var (message, offset) = PointerChain(127);
        var start = offset;

        var name = DnsResponseParser.ReadName(message, ref offset);

        Assert.Equal(string.Join('.', Enumerable.Repeat("a", 127)), name);
        Assert.Equal(start + 4, offset);
    }

    [Fact]
    public void Name_of_256_bytes_through_pointers_is_refused()
    {
        var (message, offset) = PointerChain(128);

        Assert.Throws<FormatException>(() => DnsResponseParser.ReadName(message, ref offset));
    }

    [Fact]
    public void Backward_pointers_that_cycle_are_refused()
    {
        // At 14: label "x" then a pointer back to 14 (backwards, yet a cycle); a name at 18 points into it.
        byte[] message = [.. new byte[12], 0x01, (byte)'b', 0x01, (byte)'x', 0xc0, 0x0e, 0xc0, 0x0e];
        var offset = 18;

        Assert.Throws<FormatException>(() => DnsResponseParser.ReadName(message, ref offset));
    }
}
