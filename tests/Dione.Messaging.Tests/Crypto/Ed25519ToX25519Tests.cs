using Dione.Messaging.Crypto;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Tests.Crypto;

public class Ed25519ToX25519Tests
{
    [Fact]
    public void Converted_public_key_matches_the_converted_private_keys_public_key()
    {
        for (var i = 0; i < 200; i++)
        {
            var identity = Ed25519KeyPair.Generate();
            Assert.Equal(identity.ToX25519().PublicKey, Ed25519KeyPair.PublicKeyToX25519(identity.PublicKey));
        }
    }

    [Fact]
    public void Two_identities_agree_through_their_converted_keys()
    {
        var alice = Ed25519KeyPair.Generate();
        var bob = Ed25519KeyPair.Generate();
        var aliceSide = alice.ToX25519().Agree(Ed25519KeyPair.PublicKeyToX25519(bob.PublicKey));
        var bobSide = bob.ToX25519().Agree(Ed25519KeyPair.PublicKeyToX25519(alice.PublicKey));
        Assert.Equal(aliceSide, bobSide);
    }

    [Fact]
    public void Rfc8032_test1_key_maps_to_a_fixed_u()
    {
        // RFC 8032 §7.1 TEST 1 key. The expected u was computed outside .NET two ways (Python: (1+y)/(1-y) mod p, and
        // pyca/cryptography's X25519 public key of SHA-512(seed)[0..32]); both agree.
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var identity = Ed25519KeyPair.FromSeed(seed);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(identity.PublicKey));
        const string expectedU = "d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e";
        Assert.Equal(expectedU, Convert.ToHexStringLower(Ed25519KeyPair.PublicKeyToX25519(identity.PublicKey)));
        Assert.Equal(expectedU, Convert.ToHexStringLower(identity.ToX25519().PublicKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // y = 1, the identity point
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p, not canonical
    public void RefusesKeysWithoutAnX25519Counterpart(string hex)
    {
        Assert.Throws<ArgumentException>(() => Ed25519KeyPair.PublicKeyToX25519(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Agreement_with_a_low_order_point_is_refused()
    {
        var zero = new byte[32];
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => X25519KeyPair.Generate().Agree(zero));
    }
}
