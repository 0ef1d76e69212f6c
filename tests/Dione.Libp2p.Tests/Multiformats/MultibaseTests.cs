using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>Multibase against the spec's test vectors, plus strictness on padding, lengths and trailing bits.</summary>
public class MultibaseTests
{
    public static TheoryData<string, MultibaseEncoding, string> Canonical => MultibaseSpecVectors.Canonical;

    public static TheoryData<MultibaseEncoding, string> CaseInsensitive => MultibaseSpecVectors.CaseInsensitive;

    public static TheoryData<string> Unsupported => MultibaseSpecVectors.Unsupported;

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Spec_vector_encodes_exactly_and_decodes(string input, MultibaseEncoding encoding, string expected)
    {
        var data = System.Text.Encoding.Latin1.GetBytes(input);

        Assert.Equal(expected, Multibase.Encode(encoding, data));
        Assert.Equal(data, Multibase.Decode(expected, out var detected));
        Assert.Equal(encoding, detected);
    }

    [Theory]
    [MemberData(nameof(CaseInsensitive))]
    public void Spec_case_insensitive_vector_decodes(MultibaseEncoding encoding, string text)
    {
        Assert.Equal("hello world"u8.ToArray(), Multibase.Decode(text, out var detected));
        Assert.Equal(encoding, detected);
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Unsupported_encodings_are_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => Multibase.Decode(text));

    [Theory]
    [InlineData("")]
    [InlineData("?abc")]
    [InlineData("\0abc")]
    [InlineData("b1")]
    [InlineData("bpfsxgidnmfxgsib=")]
    [InlineData("ba")]
    [InlineData("bab")]
    [InlineData("babcdef")]
    [InlineData("cpfsxgidnmfxgsib")]
    [InlineData("cpfsxgidnmfxgsibb=====")]
    [InlineData("c========")]
    [InlineData("ueWVzIG1hbmkgIQ==")]
    [InlineData("ueWVzIG1hbmkgIR")]
    [InlineData("uA")]
    [InlineData("meWVzIG1hbmkgI-")]
    [InlineData("MeWVzIG1hbmkgIQ=")]
    [InlineData("MeWVzIG1hbmkgIQ")]
    [InlineData("M=eWVzIG1hbmkgIQ=")]
    [InlineData("f0")]
    [InlineData("fxy")]
    [InlineData("k!")]
    [InlineData("z0OIl")]
    public void Malformed_text_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => Multibase.Decode(text));
        Assert.False(Multibase.TryDecode(text, out _));
    }

    [Fact]
    public void Empty_payload_encodes_to_the_prefix_alone()
    {
        foreach (var encoding in Enum.GetValues<MultibaseEncoding>())
        {
            var text = Multibase.Encode(encoding, []);
            Assert.Equal(Multibase.GetPrefix(encoding).ToString(), text);
            Assert.Empty(Multibase.Decode(text));
        }
    }

    [Fact]
    public void Random_data_round_trips_in_every_encoding()
    {
        var random = new Random(4648);
        foreach (var encoding in Enum.GetValues<MultibaseEncoding>())
        {
            for (var i = 0; i < 300; i++)
            {
                var data = new byte[random.Next(0, 70)];
                random.NextBytes(data);
                if (i % 5 == 0 && data.Length > 0)
                {
                    data[0] = 0;
                }
                var text = Multibase.Encode(encoding, data);
                Assert.Equal(data, Multibase.Decode(text, out var detected));
                Assert.Equal(encoding, detected);
            }
        }
    }

    [Fact]
    public void Over_long_text_is_refused() =>
        Assert.Throws<FormatException>(() => Multibase.Decode("f" + new string('0', Multibase.MaxTextLength)));
}
