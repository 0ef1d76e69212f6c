using Dione.Primitives.Crypto;

namespace Dione.Primitives.Tests.Crypto;

/// <summary>
/// Ed25519 through libsodium: RFC 8032 §7.1 TEST 2, and the verification rules on hostile keys and signatures.
/// The hostile cases pin down where libsodium is stricter than RFC 8032's cofactorless check as BouncyCastle does it.
/// </summary>
public class Ed25519Tests
{
    private const string Seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private const string PublicKey = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private const string Message = "72";
    private const string Signature = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    // The identity point (y = 1) and a point of order 4 (y = 0): both small order.
    private const string Identity = "0100000000000000000000000000000000000000000000000000000000000000";
    private const string OrderFour = "0000000000000000000000000000000000000000000000000000000000000000";

    // The group order L, little-endian.
    private static readonly byte[] GroupOrder = Convert.FromHexString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

    [Fact]
    public void Rfc8032_test_2_expands_signs_and_verifies()
    {
        var privateKey = Ed25519.ExpandSeed(Convert.FromHexString(Seed));

        Assert.Equal(Seed + PublicKey, Convert.ToHexStringLower(privateKey));
        Assert.Equal(Signature, Convert.ToHexStringLower(Ed25519.Sign(privateKey, Convert.FromHexString(Message))));
        Assert.True(Ed25519.Verify(Convert.FromHexString(PublicKey), Convert.FromHexString(Message), Convert.FromHexString(Signature)));
    }

    [Fact]
    public void A_signature_whose_S_is_not_reduced_is_refused()
    {
        // S + L verifies the same equation; RFC 8032 §5.1.7 requires S < L, so the copy must fail (no malleability).
        var signature = Convert.FromHexString(Signature);
        AddGroupOrder(signature.AsSpan(32));

        Assert.False(Ed25519.Verify(Convert.FromHexString(PublicKey), Convert.FromHexString(Message), signature));
    }

    [Theory]
    [InlineData(Identity)]
    [InlineData(OrderFour)]
    public void A_small_order_public_key_verifies_nothing(string publicKey)
    {
        // R = identity, S = 0 satisfies [S]B = R + [h]A for the identity key (and for A of order 4 whenever 4 | h):
        // cofactorless RFC 8032 as BouncyCastle implements it accepts it, libsodium refuses small-order keys outright.
        byte[] signature = [.. Convert.FromHexString(Identity), .. new byte[32]];

        for (var i = 0; i < 8; i++)
        {
            Assert.False(Ed25519.Verify(Convert.FromHexString(publicKey), [(byte)i], signature));
        }
    }

    [Fact]
    public void A_non_canonical_public_key_is_refused()
    {
        // y = p + 2 encodes the same field element as y = 2 (not on the curve) — and any y ≥ p is refused before that.
        var publicKey = Convert.FromHexString("efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

        Assert.False(Ed25519.Verify(publicKey, Convert.FromHexString(Message), Convert.FromHexString(Signature)));
    }

    [Theory]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    [InlineData(0, 0)]
    public void Wrong_lengths_verify_false_without_throwing(int publicKeyLength, int signatureLength) =>
        Assert.False(Ed25519.Verify(new byte[publicKeyLength], Convert.FromHexString(Message), new byte[signatureLength]));

    [Fact]
    public void Wrong_seed_and_private_key_lengths_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => Ed25519.ExpandSeed(new byte[31]));
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(new byte[32], [1]));
        Assert.Throws<ArgumentException>(() => Ed25519.SeedToX25519(new byte[33]));
    }

    [Fact]
    public void Rfc8032_test_1_public_key_maps_to_the_u_of_its_seeds_x25519_key()
    {
        // Computed outside .NET two ways (Python (1+y)/(1-y) mod p, and X25519 of SHA-512(seed)[0..32]); both agree.
        const string expectedU = "d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e";
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var publicKey = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

        Assert.Equal(expectedU, Convert.ToHexStringLower(Ed25519.PublicKeyToX25519(publicKey)));
        Assert.Equal(expectedU, Convert.ToHexStringLower(Ed25519.SeedToX25519(seed).PublicKey));
    }

    [Theory]
    [InlineData(Identity)]
    [InlineData(OrderFour)]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // y = p + 1 with the sign bit
    [InlineData("f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p + 3: a curve point (y = 3), not canonical
    [InlineData("0200000000000000000000000000000000000000000000000000000000000000")] // y = 2: not on the curve
    [InlineData("00")]
    public void Keys_without_an_x25519_counterpart_are_refused(string hex) =>
        Assert.Throws<ArgumentException>(() => Ed25519.PublicKeyToX25519(Convert.FromHexString(hex)));

    private static void AddGroupOrder(Span<byte> scalar)
    {
        var carry = 0;
        for (var i = 0; i < 32; i++)
        {
            var sum = scalar[i] + GroupOrder[i] + carry;
            scalar[i] = (byte)sum;
            carry = sum >> 8;
        }
    }
}
