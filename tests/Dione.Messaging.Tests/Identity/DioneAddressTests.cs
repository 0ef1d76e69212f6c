using Dione.Messaging.Identity;
using Dione.Primitives.Encoding;

namespace Dione.Messaging.Tests.Identity;

public class DioneAddressTests
{
    [Fact]
    public void An_address_round_trips_and_has_the_documented_shape()
    {
        for (var i = 0; i < 50; i++)
        {
            var identity = DioneIdentity.Generate().PublicKey;
            var address = identity.ToAddress();
            Assert.Equal(DioneAddress.Length, address.Length);
            Assert.StartsWith("b", address, StringComparison.Ordinal);
            Assert.Equal(identity, DioneAddress.Parse(address));
            Assert.True(DioneAddress.TryParse(address, out var parsed));
            Assert.Equal(identity, parsed);
        }
    }

    [Fact]
    public void Every_single_character_change_is_caught()
    {
        var address = DioneIdentity.Generate().PublicKey.ToAddress();
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (var position = 0; position < address.Length; position++)
        {
            foreach (var replacement in alphabet)
            {
                if (replacement == address[position])
                {
                    continue;
                }
                var changed = string.Concat(address.AsSpan(0, position), replacement.ToString(), address.AsSpan(position + 1));
                Assert.False(DioneAddress.TryParse(changed, out _), $"change at {position} to '{replacement}' was accepted");
            }
        }
    }

    [Fact]
    public void Parse_errors_say_what_is_wrong()
    {
        var address = DioneIdentity.Generate().PublicKey.ToAddress();
        AssertError("", "multibase prefix");
        AssertError("z" + address[1..], "multibase prefix");
        AssertError("B" + address[1..].ToUpperInvariant(), "multibase prefix");
        AssertError(address[..^1], "61 characters");
        AssertError(address + "a", "61 characters");
        AssertError(address[..10] + "1" + address[11..], "not lowercase base32");
        // Upper-case a letter (a random address may hold a digit at any one position, and digits have no case).
        var letter = address.IndexOf(address[1..].First(char.IsAsciiLetterLower), 1);
        AssertError(address[..letter] + char.ToUpperInvariant(address[letter]) + address[(letter + 1)..], "not lowercase base32");
        AssertError(address[..^1] + (address[^1] == 'b' ? 'c' : 'b'), "checksum"); // the last character carries 4 unused bits
        AssertError(address[..^2] + (address[^2] == 'a' ? "ba" : "aa"), "checksum");

        // A well-formed string with a correct checksum over something that is not a usable key (y = 1, the neutral point).
        var neutral = new byte[37];
        neutral[0] = 1;
        neutral[1] = 1;
        System.Security.Cryptography.SHA256.HashData(neutral.AsSpan(0, 33)).AsSpan(0, 4).CopyTo(neutral.AsSpan(33));
        AssertError("b" + Rfc4648Codec.Base32Lower.Encode(neutral), "no valid Ed25519 identity key");

        // A well-formed address (its checksum right) of a version this code does not read.
        var otherVersion = new byte[37];
        otherVersion[0] = 2;
        System.Security.Cryptography.SHA256.HashData(otherVersion.AsSpan(0, 33)).AsSpan(0, 4).CopyTo(otherVersion.AsSpan(33));
        AssertError("b" + Rfc4648Codec.Base32Lower.Encode(otherVersion), "unknown Dione address version 2");
    }

    [Fact]
    public void A_one_character_typo_anywhere_after_the_prefix_says_the_checksum_does_not_match()
    {
        // An address ending in 'a' and one ending in 'q': the last character carries one bit (of the checksum) and
        // four zero bits, so those are the two it can be.
        var byLastCharacter = new Dictionary<char, string>();
        for (var tries = 0; tries < 1000 && byLastCharacter.Count < 2; tries++)
        {
            var generated = DioneIdentity.Generate().PublicKey.ToAddress();
            byLastCharacter.TryAdd(generated[^1], generated);
        }
        Assert.Equal(['a', 'q'], byLastCharacter.Keys.Order());
        foreach (var address in byLastCharacter.Values)
        {
            // Position 0 is the multibase prefix, which has its own message; 1 is the version character, 60 the last.
            for (var position = 1; position < address.Length; position++)
            {
                foreach (var replacement in Rfc4648Codec.Base32Alphabet.Where(c => c != address[position]))
                {
                    var typo = string.Concat(address.AsSpan(0, position), replacement.ToString(), address.AsSpan(position + 1));
                    var e = Assert.Throws<FormatException>(() => DioneAddress.Parse(typo));
                    Assert.True(e.Message == "the Dione address checksum does not match (a typing or copying error)",
                        $"'{replacement}' at {position} of {address}: {e.Message}");
                }
            }
        }
    }

    [Fact]
    public void Try_parse_of_null_is_false()
    {
        Assert.False(DioneAddress.TryParse(null, out var identity));
        Assert.Null(identity);
    }

    private static void AssertError(string address, string expected)
    {
        var e = Assert.Throws<FormatException>(() => DioneAddress.Parse(address));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
