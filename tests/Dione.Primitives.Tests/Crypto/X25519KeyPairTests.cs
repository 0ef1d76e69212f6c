using System.Security.Cryptography;
using Dione.Primitives.Crypto;

namespace Dione.Primitives.Tests.Crypto;

public class X25519KeyPairTests
{
    [Theory]
    // RFC 7748 section 5.2, the two single-iteration vectors.
    [InlineData(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Agreement_matches_RFC7748_section_5_2(string scalar, string u, string expected)
    {
        var key = X25519KeyPair.FromPrivateKey(Convert.FromHexString(scalar));
        var shared = new byte[32];
        Assert.True(key.TryAgree(Convert.FromHexString(u), shared));
        Assert.Equal(expected, Convert.ToHexStringLower(shared));
    }

    [Fact]
    public void Key_pairs_and_shared_secret_match_RFC7748_section_6_1()
    {
        var alice = X25519KeyPair.FromPrivateKey(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var bob = X25519KeyPair.FromPrivateKey(Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alice.PublicKey));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bob.PublicKey));
        var aliceShared = new byte[32];
        var bobShared = new byte[32];
        Assert.True(alice.TryAgree(bob.PublicKey, aliceShared));
        Assert.True(bob.TryAgree(alice.PublicKey, bobShared));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(aliceShared));
        Assert.Equal(aliceShared, bobShared);
    }

    [Fact]
    public void Exported_private_key_rebuilds_the_same_pair()
    {
        var key = X25519KeyPair.Generate();
        var copy = X25519KeyPair.FromPrivateKey(key.ExportPrivateKey());
        Assert.Equal(key.PublicKey, copy.PublicKey);
        Assert.Equal(32, key.Agree(X25519KeyPair.Generate().PublicKey).Length);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    // A point of order 8 (RFC 7748 / libsodium blocklist).
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    public void Low_order_remote_keys_are_refused(string lowOrderPoint)
    {
        var key = X25519KeyPair.Generate();
        var shared = new byte[32];
        shared.AsSpan().Fill(0xAA);
        Assert.False(key.TryAgree(Convert.FromHexString(lowOrderPoint), shared));
        Assert.All(shared, b => Assert.Equal(0, b));
        Assert.Throws<CryptographicException>(() => key.Agree(Convert.FromHexString(lowOrderPoint)));
    }

    [Fact]
    public void Wrong_lengths_are_refused()
    {
        var key = X25519KeyPair.Generate();
        Assert.False(key.TryAgree(new byte[31], new byte[32]));
        Assert.False(key.TryAgree(key.PublicKey, new byte[31]));
        Assert.Throws<ArgumentException>(() => key.Agree(new byte[33]));
        Assert.Throws<ArgumentException>(() => X25519KeyPair.FromPrivateKey(new byte[31]));
    }
}
