using System.Security.Cryptography;
using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseHkdfTests
{
    [Fact]
    public void Matches_RFC5869_test_case_3_empty_salt_and_info()
    {
        // RFC 5869 A.3: IKM = 0x0b * 22, salt and info empty, L = 42. Noise's HKDF is RFC 5869 with empty info and
        // the chaining key as salt, so its first 42 output bytes must equal this OKM.
        var ikm = Enumerable.Repeat((byte)0x0b, 22).ToArray();
        var output1 = new byte[32];
        var output2 = new byte[32];
        NoiseHkdf.Derive(ReadOnlySpan<byte>.Empty, ikm, output1, output2);
        Assert.Equal(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
            Convert.ToHexStringLower([.. output1, .. output2[..10]]));
    }

    [Fact]
    public void Three_outputs_equal_RFC5869_expansion_with_the_chaining_key_as_salt()
    {
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var chainingKey = new byte[32];
            var ikm = new byte[random.Next(0, 80)];
            random.NextBytes(chainingKey);
            random.NextBytes(ikm);
            var outputs = new byte[96];
            NoiseHkdf.Derive(chainingKey, ikm, outputs.AsSpan(0, 32), outputs.AsSpan(32, 32), outputs.AsSpan(64, 32));
            var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 96, chainingKey, []);
            Assert.Equal(expected, outputs);
        }
    }

    [Fact]
    public void Chaining_key_may_be_overwritten_by_the_first_output()
    {
        var chainingKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, "ikm"u8.ToArray(), 64, chainingKey, []);
        var second = new byte[32];
        NoiseHkdf.Derive(chainingKey, "ikm"u8, chainingKey, second);
        Assert.Equal(expected, chainingKey.Concat(second).ToArray());
    }
}
