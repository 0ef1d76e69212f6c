using System.Text;
using Dione.Messaging.Identity;

namespace Dione.Messaging.Tests.Identity;

public class Base32LowerTests
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
        Assert.Equal(base32, Base32Lower.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32Lower.Decode(base32)));
    }

    [Fact]
    public void RandomBytesRoundTrip()
    {
        var random = new Random(7);
        for (var length = 0; length < 80; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(bytes, Base32Lower.Decode(Base32Lower.Encode(bytes)));
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
        Assert.Throws<FormatException>(() => Base32Lower.Decode(text));
    }
}
