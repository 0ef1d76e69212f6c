using System.Text;
using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>Base58btc: the draft-msporny-base58 examples, leading zeros, invalid characters and the length cap.</summary>
public class Base58Tests
{
    [Theory]
    [InlineData("Hello World!", "2NEpo7TZRRrLZSi2U")]
    [InlineData("The quick brown fox jumps over the lazy dog.", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z")]
    [InlineData("yes mani !", "7paNL19xttacUY")]
    [InlineData("", "")]
    public void Text_examples_round_trip(string plain, string encoded)
    {
        Assert.Equal(encoded, Base58.Encode(Encoding.ASCII.GetBytes(plain)));
        Assert.Equal(Encoding.ASCII.GetBytes(plain), Base58.Decode(encoded));
    }

    [Theory]
    [InlineData("0000287fb4cd", "11233QC4")]
    [InlineData("00", "1")]
    [InlineData("0000", "11")]
    [InlineData("ff", "5Q")]
    public void Leading_zero_bytes_become_ones(string hex, string encoded)
    {
        Assert.Equal(encoded, Base58.Encode(Convert.FromHexString(hex)));
        Assert.Equal(Convert.FromHexString(hex), Base58.Decode(encoded));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("O")]
    [InlineData("I")]
    [InlineData("l")]
    [InlineData("abc+")]
    [InlineData("é")]
    [InlineData(" 1")]
    public void Characters_outside_the_alphabet_are_refused(string text) =>
        Assert.Throws<FormatException>(() => Base58.Decode(text));

    [Fact]
    public void Text_longer_than_the_cap_is_refused() =>
        Assert.Throws<FormatException>(() => Base58.Decode(new string('2', Base58.MaxTextLength + 1)));

    [Fact]
    public void Random_data_round_trips()
    {
        var random = new Random(58);
        for (var i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 80)];
            random.NextBytes(data);
            if (random.Next(4) == 0 && data.Length > 2)
            {
                data[0] = 0;
                data[1] = 0;
            }
            Assert.Equal(data, Base58.Decode(Base58.Encode(data)));
        }
    }
}
