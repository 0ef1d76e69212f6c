using Dione.Primitives.Encoding;

namespace Dione.Primitives.Tests.Encoding;

/// <summary>The strict lowercase base32 that Dione addresses use (<see cref="Rfc4648Codec.Base32Lower"/>).</summary>
public class Rfc4648CodecBase32LowerTests
{
    [Theory] // RFC 4648 §10, lowercase and without padding
    [InlineData("", "")]
    [InlineData("f", "my")]
    [InlineData("fo", "mzxq")]
    [InlineData("foo", "mzxw6")]
    [InlineData("foob", "mzxw6yq")]
    [InlineData("fooba", "mzxw6ytb")]
    [InlineData("foobar", "mzxw6ytboi")]
    public void MatchesTheRfc4648Vectors(string text, string base32)
    {
        Assert.Equal(base32, Rfc4648Codec.Base32Lower.Encode(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(Rfc4648Codec.Base32Lower.Decode(base32)));
    }

    [Fact]
    public void Random_bytes_round_trip()
    {
        var random = new Random(7);
        for (var length = 0; length < 80; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(bytes, Rfc4648Codec.Base32Lower.Decode(Rfc4648Codec.Base32Lower.Encode(bytes)));
        }
    }

    [Theory]
    [InlineData("m")] // 1, 3 and 6 characters cannot end on a byte boundary
    [InlineData("mzx")]
    [InlineData("mzxw6y")]
    [InlineData("MZXW6")] // uppercase
    [InlineData("mzxw1")] // '1' is not in the alphabet
    [InlineData("mzxw=")]
    [InlineData("mz")] // 'z' leaves non-zero trailing bits: not canonical
    public void RefusesWhatIsNotCanonicalLowercaseBase32(string text)
    {
        Assert.Throws<FormatException>(() => Rfc4648Codec.Base32Lower.Decode(text));
    }

    [Fact]
    public void A_refused_character_is_named_with_its_position()
    {
        var error = Assert.Throws<FormatException>(() => Rfc4648Codec.Base32Lower.Decode("mzxw1"));
        Assert.Equal("character 4 (U+0031) is not lowercase base32", error.Message);
    }

    [Fact]
    public void A_case_insensitive_codec_reads_both_cases_to_the_same_bytes()
    {
        var codec = new Rfc4648Codec(Rfc4648Codec.Base32Alphabet, padded: false, caseInsensitive: true);
        Assert.Equal(codec.Decode("mzxw6ytboi"), codec.Decode("MZXW6YTBOI"));
    }
}
