using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;

namespace Dione.Messaging.Tests.Identity;

public class IdentityKeyTests
{
    [Fact]
    public void Encode_is_the_type_byte_then_the_ed25519_key()
    {
        var identity = DioneIdentity.Generate();
        var encoded = identity.PublicKey.Encode();
        Assert.Equal(33, encoded.Length);
        Assert.Equal(0x01, encoded[0]);
        Assert.Equal(identity.PublicKey.Ed25519PublicKey.ToArray(), encoded[1..]);
    }

    [Fact]
    public void The_x25519_form_is_the_birational_map_of_the_ed25519_key()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var identity = DioneIdentity.FromSeed(seed);
        Assert.Equal("d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e", Convert.ToHexStringLower(identity.PublicKey.X25519PublicKey));
        Assert.Equal(Ed25519KeyPair.FromSeed(seed).ToX25519().PublicKey, identity.PublicKey.X25519PublicKey.ToArray());
        Assert.Equal(seed, identity.ExportSeed());
    }

    [Fact]
    public void Key_and_its_negation_share_the_x25519_form_but_not_the_encoding()
    {
        // Flipping the sign bit of an Ed25519 key gives -A: a different signing key with the same u.
        var identity = DioneIdentity.Generate().PublicKey;
        var negated = identity.Ed25519PublicKey.ToArray();
        negated[31] ^= 0x80;
        var other = IdentityKey.FromEd25519(negated);
        Assert.Equal(identity.X25519PublicKey.ToArray(), other.X25519PublicKey.ToArray());
        Assert.NotEqual(identity.Encode(), other.Encode());
        Assert.NotEqual(identity, other);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")] // small order
    public void UnusableKeysAreRefused(string hex)
    {
        Assert.False(IdentityKey.TryFromEd25519(Convert.FromHexString(hex), out _));
        Assert.Throws<ArgumentException>(() => IdentityKey.FromEd25519(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Signatures_verify_only_for_their_message_and_key()
    {
        var identity = DioneIdentity.Generate();
        var signature = identity.Sign("hello"u8);
        Assert.True(identity.PublicKey.Verify("hello"u8, signature));
        Assert.False(identity.PublicKey.Verify("hellO"u8, signature));
        Assert.False(DioneIdentity.Generate().PublicKey.Verify("hello"u8, signature));
    }
}
