using Dione.Kademlia.Records;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests.Records;

public class PublicKeyValidatorTests
{
    private static readonly PublicKeyValidator Validator = new();

    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.Secp256k1)]
    [InlineData(KeyType.Ecdsa)]
    [InlineData(KeyType.Rsa)]
    public void A_key_stored_under_its_own_peer_id_is_valid(KeyType type)
    {
        var key = PrivateKey.Generate(type).PublicKey;

        Validator.Validate(PublicKeyValidator.RoutingKey(PeerId.FromPublicKey(key)), key.ToProtobuf());
    }

    [Fact]
    public void A_fixed_ed25519_vector_is_valid()
    {
        // specs/peer-ids "Test vectors": the Ed25519 public key protobuf and its identity-multihash peer id.
        var publicKey = Convert.FromHexString("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
        var key = "/pk/"u8.ToArray().Concat(Convert.FromHexString("0024")).Concat(publicKey).ToArray();

        Validator.Validate(key, publicKey);
        Assert.Equal("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", PeerId.FromPublicKey(PublicKey.FromProtobuf(publicKey)).ToString());
    }

    [Fact]
    public void Another_peers_key_is_refused()
    {
        var owner = PrivateKey.Generate().PublicKey;
        var other = PrivateKey.Generate().PublicKey;

        var error = Assert.Throws<RecordValidationException>(
            () => Validator.Validate(PublicKeyValidator.RoutingKey(PeerId.FromPublicKey(owner)), other.ToProtobuf()));

        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sha256_id_must_hash_the_exact_key()
    {
        var rsa = PrivateKey.Generate(KeyType.Rsa).PublicKey;
        var key = PublicKeyValidator.RoutingKey(PeerId.FromPublicKey(rsa));
        key[^1] ^= 1;

        Assert.Throws<RecordValidationException>(() => Validator.Validate(key, rsa.ToProtobuf()));
    }

    [Theory]
    [InlineData("/ipns/")]
    [InlineData("/pk")]
    [InlineData("pk/")]
    [InlineData("//pk/")]
    [InlineData("/PK/")]
    public void Keys_outside_the_pk_namespace_are_refused(string prefix)
    {
        var key = PrivateKey.Generate().PublicKey;
        var routingKey = System.Text.Encoding.ASCII.GetBytes(prefix).Concat(PeerId.FromPublicKey(key).ToBytes()).ToArray();

        Assert.Throws<RecordValidationException>(() => Validator.Validate(routingKey, key.ToProtobuf()));
    }

    [Fact]
    public void A_key_without_a_multihash_is_refused()
    {
        var key = PrivateKey.Generate().PublicKey;

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate("/pk/\x12\x20short"u8.ToArray(), key.ToProtobuf()));

        Assert.Contains("multihash", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0801")]
    [InlineData("08011201")]
    [InlineData("080912020102")]
    public void Values_that_are_not_public_keys_are_refused(string hex)
    {
        var key = PublicKeyValidator.RoutingKey(PeerId.FromPublicKey(PrivateKey.Generate().PublicKey));

        Assert.Throws<RecordValidationException>(() => Validator.Validate(key, Convert.FromHexString(hex)));
    }

    [Fact]
    public void Select_returns_the_first_value()
    {
        var key = PrivateKey.Generate().PublicKey;
        var routingKey = PublicKeyValidator.RoutingKey(PeerId.FromPublicKey(key));

        Assert.Equal(0, Validator.Select(routingKey, [key.ToProtobuf(), key.ToProtobuf()]));
        Assert.Throws<RecordValidationException>(() => Validator.Select(routingKey, []));
    }
}
