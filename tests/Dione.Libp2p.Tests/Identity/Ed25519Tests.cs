using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Tests.Identity;

/// <summary>RFC 8032 section 7.1 tests 1-3, and the libp2p Ed25519 private key forms.</summary>
public class Ed25519Tests
{
    public static TheoryData<string, string, string, string> Rfc8032 => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Rfc8032_vector_signs_exactly_and_verifies(string seedHex, string publicHex, string messageHex, string signatureHex)
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(seedHex));
        var message = Convert.FromHexString(messageHex);
        var signature = Convert.FromHexString(signatureHex);

        Assert.Equal(Convert.FromHexString(publicHex), key.PublicKey.Data.ToArray());
        Assert.Equal(signature, key.Sign(message));
        Assert.True(new Ed25519PublicKey(Convert.FromHexString(publicHex)).Verify(message, signature));
    }

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Rfc8032_signature_fails_when_tampered(string seedHex, string publicHex, string messageHex, string signatureHex)
    {
        _ = seedHex;
        var publicKey = new Ed25519PublicKey(Convert.FromHexString(publicHex));
        var message = Convert.FromHexString(messageHex);
        var signature = Convert.FromHexString(signatureHex);
        for (var i = 0; i < signature.Length; i++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x80;
            Assert.False(publicKey.Verify(message, tampered), $"tampered byte {i} verified");
        }
        Assert.False(publicKey.Verify([.. message, 0], signature));
    }

    [Fact]
    public void Legacy_96_byte_private_key_is_accepted_when_both_public_copies_match()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        byte[] legacy = [.. Convert.FromHexString(Rfc8032Seed), .. key.PublicKey.Data.Span, .. key.PublicKey.Data.Span];

        var decoded = Ed25519PrivateKey.FromData(legacy);

        Assert.Equal(key.PublicKey, decoded.PublicKey);
        Assert.Equal(64, decoded.ToProtobuf().Length - 4); // re-encoded in the preferred 64-byte form
    }

    [Fact]
    public void Legacy_96_byte_private_key_with_differing_public_copies_is_refused()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        byte[] legacy = [.. Convert.FromHexString(Rfc8032Seed), .. key.PublicKey.Data.Span, .. key.PublicKey.Data.Span];
        legacy[^1] ^= 1;

        Assert.Throws<FormatException>(() => Ed25519PrivateKey.FromData(legacy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(128)]
    public void Private_key_of_wrong_length_is_refused(int length) =>
        Assert.Throws<FormatException>(() => Ed25519PrivateKey.FromData(new byte[length]));

    [Fact]
    public void Private_key_whose_public_half_mismatches_is_refused()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        byte[] data = [.. Convert.FromHexString(Rfc8032Seed), .. key.PublicKey.Data.Span];
        data[40] ^= 1;

        Assert.Throws<FormatException>(() => Ed25519PrivateKey.FromData(data));
    }

    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
}
