using System.Text;
using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Tests.Identity;

/// <summary>Fresh keys of every type: protobuf round trips, peer ids, signatures, tampering, cross-key rejection.</summary>
public class KeyGenerationTests
{
    public static TheoryData<KeyType> AllTypes => [KeyType.Ed25519, KeyType.Secp256k1, KeyType.Ecdsa, KeyType.Rsa];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Generated_key_round_trips_through_protobuf(KeyType type)
    {
        var key = PrivateKey.Generate(type);

        var decoded = PrivateKey.FromProtobuf(key.ToProtobuf());
        var decodedPublic = PublicKey.FromProtobuf(key.PublicKey.ToProtobuf());

        Assert.Equal(type, key.Type);
        Assert.Equal(key.ToProtobuf(), decoded.ToProtobuf());
        Assert.Equal(key.PublicKey, decoded.PublicKey);
        Assert.Equal(key.PublicKey, decodedPublic);
        Assert.Equal(key.PublicKey.ToProtobuf(), decodedPublic.ToProtobuf());
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Generated_key_signs_and_only_its_public_key_verifies(KeyType type)
    {
        var key = PrivateKey.Generate(type);
        var other = PrivateKey.Generate(type);
        var message = Encoding.UTF8.GetBytes("libp2p handshake payload");

        var signature = key.Sign(message);
        var tampered = (byte[])signature.Clone();
        tampered[signature.Length / 2] ^= 0x10;

        Assert.True(key.PublicKey.Verify(message, signature));
        Assert.False(other.PublicKey.Verify(message, signature));
        Assert.False(key.PublicKey.Verify(message, tampered));
        Assert.False(key.PublicKey.Verify(Encoding.UTF8.GetBytes("libp2p handshake payloaD"), signature));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Peer_id_inlines_small_keys_and_hashes_large_ones(KeyType type)
    {
        var key = PrivateKey.Generate(type);
        var peerId = PeerId.FromPublicKey(key.PublicKey);

        var inlined = peerId.TryGetPublicKey();

        if (type is KeyType.Ed25519 or KeyType.Secp256k1)
        {
            Assert.Equal(key.PublicKey, inlined);
        }
        else
        {
            Assert.Null(inlined);
        }
        Assert.Equal(peerId, PeerId.FromBytes(peerId.Bytes));
        Assert.Equal(peerId, PeerId.Parse(peerId.ToCidString()));
        Assert.True(peerId.Matches(key.PublicKey));
    }

    [Fact]
    public void Secp256k1_signatures_are_deterministic_and_low_s()
    {
        var key = Secp256k1PrivateKey.Generate();
        var halfOrder = System.Numerics.BigInteger.Parse(
            "07FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber);
        for (var i = 0; i < 32; i++)
        {
            var message = Encoding.UTF8.GetBytes($"message {i}");
            var signature = key.Sign(message);
            Assert.Equal(signature, key.Sign(message));
            var sLength = signature[5 + signature[3]];
            var s = new System.Numerics.BigInteger(signature.AsSpan(signature.Length - sLength), isUnsigned: true, isBigEndian: true);
            Assert.True(s <= halfOrder, $"signature {i} has high S");
        }
    }

    [Fact]
    public void Secp256k1_high_s_signature_is_accepted_like_go()
    {
        var key = Secp256k1PrivateKey.Generate();
        var message = Encoding.UTF8.GetBytes("malleable");
        var signature = key.Sign(message);
        var rLength = signature[3];
        var r = signature.AsSpan(4, rLength).ToArray();
        var s = new System.Numerics.BigInteger(signature.AsSpan(6 + rLength), isUnsigned: true, isBigEndian: true);
        var n = System.Numerics.BigInteger.Parse(
            "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var highS = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);

        var malleated = EcdsaDerSignature.Encode(r, highS);

        Assert.NotEqual(signature, malleated);
        Assert.True(key.PublicKey.Verify(message, malleated));
    }

    [Fact]
    public void Secp256k1_uncompressed_public_key_is_accepted_and_stored_compressed()
    {
        var key = Secp256k1PrivateKey.Generate();
        var point = Secp256k1Curve.Domain.Curve.DecodePoint(key.PublicKey.Data.ToArray());

        var fromUncompressed = Secp256k1PublicKey.FromData(point.GetEncoded(compressed: false));

        Assert.Equal(key.PublicKey, fromUncompressed);
        Assert.Equal(Secp256k1PublicKey.CompressedLength, fromUncompressed.Data.Length);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")]
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    public void Secp256k1_private_scalar_out_of_range_is_refused(string hex) =>
        Assert.Throws<FormatException>(() => Secp256k1PrivateKey.FromData(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("02")]
    [InlineData("050000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("020000000000000000000000000000000000000000000000000000000000000005")]
    [InlineData("04" + "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000001")]
    public void Secp256k1_public_key_off_the_curve_is_refused(string hex) =>
        Assert.Throws<FormatException>(() => Secp256k1PublicKey.FromData(Convert.FromHexString(hex)));

    [Theory]
    [InlineData(1024)]
    [InlineData(2047)]
    [InlineData(8193)]
    public void Rsa_generation_outside_2048_to_8192_bits_is_refused(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RsaPrivateKey.Generate(bits));

    [Fact]
    public void Rsa_import_of_a_1024_bit_key_is_refused()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);

        Assert.Throws<FormatException>(() => RsaPublicKey.FromData(rsa.ExportSubjectPublicKeyInfo()));
        Assert.Throws<FormatException>(() => RsaPrivateKey.FromData(rsa.ExportRSAPrivateKey()));
    }

    [Fact]
    public void Ecdsa_public_key_with_a_non_libp2p_encoding_is_refused()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();

        Assert.Throws<FormatException>(() => EcdsaPublicKey.FromData([.. spki, 0]));
        Assert.Throws<FormatException>(() => RsaPublicKey.FromData(spki));
        Assert.Throws<FormatException>(() => EcdsaPublicKey.FromData(ecdsa.ExportPkcs8PrivateKey()));
    }

    [Fact]
    public void Ecdsa_p384_key_from_go_is_accepted()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var privateKey = EcdsaPrivateKey.FromData(ecdsa.ExportECPrivateKey());
        var message = Encoding.UTF8.GetBytes("p384");

        Assert.True(privateKey.PublicKey.Verify(message, privateKey.Sign(message)));
        Assert.Equal(ecdsa.ExportSubjectPublicKeyInfo(), privateKey.PublicKey.Data.ToArray());
    }

    [Fact]
    public void Unknown_key_type_is_not_supported()
    {
        byte[] encoded = [0x08, 0x07, 0x12, 0x01, 0x00];

        Assert.Throws<NotSupportedException>(() => PublicKey.FromProtobuf(encoded));
        Assert.Throws<NotSupportedException>(() => PrivateKey.FromProtobuf(encoded));
        Assert.Throws<NotSupportedException>(() => PrivateKey.Generate((KeyType)7));
    }

    [Theory]
    [InlineData("")]
    [InlineData("08")]
    [InlineData("0801")]
    [InlineData("1200")]
    [InlineData("08011220")]
    [InlineData("0801120100")]
    public void Malformed_public_key_protobuf_is_a_format_error(string hex) =>
        Assert.Throws<FormatException>(() => PublicKey.FromProtobuf(Convert.FromHexString(hex)));
}
