using System.Text;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Identity;

/// <summary>Every key vector of specs/peer-ids and go-libp2p's signature fixtures, through every operation.</summary>
public class KeyVectorTests
{
    public static TheoryData<KeyType, string, string> SpecVectors => new()
    {
        { KeyType.Ed25519, PeerIdSpecVectors.Ed25519Private, PeerIdSpecVectors.Ed25519Public },
        { KeyType.Secp256k1, PeerIdSpecVectors.Secp256k1Private, PeerIdSpecVectors.Secp256k1Public },
        { KeyType.Ecdsa, PeerIdSpecVectors.EcdsaPrivate, PeerIdSpecVectors.EcdsaPublic },
        { KeyType.Rsa, PeerIdSpecVectors.RsaPrivate, PeerIdSpecVectors.RsaPublic },
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Spec_private_key_decodes_and_reencodes_byte_identically(KeyType type, string privateHex, string publicHex)
    {
        var encoded = Convert.FromHexString(privateHex);
        var key = PrivateKey.FromProtobuf(encoded);

        Assert.Equal(type, key.Type);
        Assert.Equal(encoded, key.ToProtobuf());
        Assert.Equal(Convert.FromHexString(publicHex), key.PublicKey.ToProtobuf());
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Spec_public_key_decodes_and_reencodes_byte_identically(KeyType type, string privateHex, string publicHex)
    {
        _ = privateHex;
        var encoded = Convert.FromHexString(publicHex);
        var key = PublicKey.FromProtobuf(encoded);

        Assert.Equal(type, key.Type);
        Assert.Equal(encoded, key.ToProtobuf());
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Spec_key_derives_identity_or_sha256_peer_id(KeyType type, string privateHex, string publicHex)
    {
        _ = privateHex;
        var encoded = Convert.FromHexString(publicHex);
        var peerId = PeerId.FromPublicKey(PublicKey.FromProtobuf(encoded));
        var multihash = Multihash.Parse(peerId.Bytes);

        if (type is KeyType.Ed25519 or KeyType.Secp256k1)
        {
            Assert.Equal(MultihashCode.Identity, multihash.Code);
            Assert.Equal(encoded, multihash.Digest.ToArray());
            Assert.StartsWith(type == KeyType.Ed25519 ? "12D3KooW" : "16Uiu2HA", peerId.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(MultihashCode.Sha2_256, multihash.Code);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(encoded), multihash.Digest.ToArray());
            Assert.StartsWith("Qm", peerId.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(peerId, PeerId.Parse(peerId.ToString()));
        Assert.True(peerId.Matches(PublicKey.FromProtobuf(encoded)));
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Spec_key_signs_and_verifies_and_rejects_tampering(KeyType type, string privateHex, string publicHex)
    {
        _ = type;
        var privateKey = PrivateKey.FromProtobuf(Convert.FromHexString(privateHex));
        var publicKey = PublicKey.FromProtobuf(Convert.FromHexString(publicHex));
        var message = Encoding.UTF8.GetBytes("a message to sign");

        var signature = privateKey.Sign(message);

        Assert.True(publicKey.Verify(message, signature));
        Assert.False(publicKey.Verify(Encoding.UTF8.GetBytes("a message to sigN"), signature));
        for (var i = 0; i < signature.Length; i += Math.Max(1, signature.Length / 16))
        {
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x01;
            Assert.False(publicKey.Verify(message, tampered), $"tampered byte {i} verified");
        }
        Assert.False(publicKey.Verify(message, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(publicKey.Verify(message, [.. signature, 0]));
        Assert.False(publicKey.Verify(message, []));
    }

    public static TheoryData<KeyType, string, string, string, bool> GoFixtures => new()
    {
        { KeyType.Rsa, GoCryptoFixtures.RsaPrivate, GoCryptoFixtures.RsaPublic, GoCryptoFixtures.RsaSignature, true },
        { KeyType.Secp256k1, GoCryptoFixtures.Secp256k1Private, GoCryptoFixtures.Secp256k1Public, GoCryptoFixtures.Secp256k1Signature, true },
        { KeyType.Ecdsa, GoCryptoFixtures.EcdsaPrivate, GoCryptoFixtures.EcdsaPublic, GoCryptoFixtures.EcdsaSignature, false },
    };

    [Theory]
    [MemberData(nameof(GoFixtures))]
    public void Go_fixture_round_trips_and_its_signature_verifies(KeyType type, string privateHex, string publicHex, string signatureHex, bool deterministic)
    {
        var privateBytes = Convert.FromHexString(privateHex);
        var publicBytes = Convert.FromHexString(publicHex);
        var signature = Convert.FromHexString(signatureHex);
        var message = Encoding.UTF8.GetBytes(GoCryptoFixtures.Message);

        var privateKey = PrivateKey.FromProtobuf(privateBytes);
        var publicKey = PublicKey.FromProtobuf(publicBytes);

        Assert.Equal(type, publicKey.Type);
        Assert.Equal(privateBytes, privateKey.ToProtobuf());
        Assert.Equal(publicBytes, publicKey.ToProtobuf());
        Assert.Equal(publicKey, privateKey.PublicKey);
        Assert.True(publicKey.Verify(message, signature));
        if (deterministic)
        {
            Assert.Equal(signature, privateKey.Sign(message));
        }
    }

    [Fact]
    public void Go_ecdsa_fixture_signature_is_high_s_and_still_verifies()
    {
        // s = 0xcd99… > n/2: go does not normalise P-256 signatures, so verification must not demand low-S.
        var signature = Convert.FromHexString(GoCryptoFixtures.EcdsaSignature);
        Assert.Equal(0xcd, signature[^32]);
        var publicKey = PublicKey.FromProtobuf(Convert.FromHexString(GoCryptoFixtures.EcdsaPublic));
        Assert.True(publicKey.Verify(Encoding.UTF8.GetBytes(GoCryptoFixtures.Message), signature));
    }

    [Theory]
    [InlineData(KnownPeerIdVectors.GoManualPrivateKey, KnownPeerIdVectors.GoManualPeerId)]
    [InlineData(KnownPeerIdVectors.JsGoKeyPrivateKey, KnownPeerIdVectors.JsGoKeyPeerId)]
    public void Published_rsa_keys_derive_their_published_peer_ids(string privateBase64, string expectedPeerId)
    {
        var key = PrivateKey.FromProtobuf(Convert.FromBase64String(privateBase64));

        var peerId = PeerId.FromPublicKey(key.PublicKey);

        Assert.Equal(KeyType.Rsa, key.Type);
        Assert.Equal(expectedPeerId, peerId.ToString());
        Assert.Equal(Convert.FromBase64String(privateBase64), key.ToProtobuf());
    }
}
