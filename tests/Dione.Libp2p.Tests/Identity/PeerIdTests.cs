using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Identity;

/// <summary>Peer id text forms (specs/peer-ids "String representation"), binary validation and CID conversion.</summary>
public class PeerIdTests
{
    [Fact]
    public void Ipfs_bootstrap_peer_id_parses_as_sha256()
    {
        var peerId = PeerId.Parse("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");

        var multihash = Multihash.Parse(peerId.Bytes);

        Assert.Equal(MultihashCode.Sha2_256, multihash.Code);
        Assert.Equal(32, multihash.Digest.Length);
        Assert.Null(peerId.TryGetPublicKey());
        Assert.Equal("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN", peerId.ToString());
    }

    [Theory]
    [InlineData("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData("12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV")]
    [InlineData("12D3KooWBdmLJjhpgJ9KZgLM3f894ff9xyBfPvPjFNn7MKJpyrC2")]
    public void Ed25519_peer_id_yields_its_key(string text)
    {
        var peerId = PeerId.Parse(text);

        var key = peerId.TryGetPublicKey();

        Assert.IsType<Ed25519PublicKey>(key);
        Assert.True(peerId.Matches(key));
        Assert.Equal(peerId, PeerId.FromPublicKey(key));
        Assert.Equal(text, peerId.ToString());
    }

    [Theory]
    [InlineData("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")]
    [InlineData("bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm", "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC")]
    [InlineData("k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7", "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC")]
    [InlineData("bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u", "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV")]
    [InlineData("k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs", "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV")]
    public void Cid_form_parses_to_the_same_peer_as_the_base58_form(string cidText, string base58Text)
    {
        Assert.Equal(PeerId.Parse(base58Text), PeerId.Parse(cidText));
    }

    [Theory]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe")]
    [InlineData("12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV", "bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u")]
    public void Cid_string_is_base32_cidv1_with_the_libp2p_key_codec(string base58Text, string expected)
    {
        var peerId = PeerId.Parse(base58Text);

        Assert.Equal(expected, peerId.ToCidString());
        Assert.Equal(Multicodec.Libp2pKey, peerId.ToCid().Codec);
        Assert.Equal(1, peerId.ToCid().Version);
    }

    [Fact]
    public void Cid_string_in_base36_matches_the_k51_form()
    {
        var peerId = PeerId.Parse("12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");

        Assert.Equal("k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs", peerId.ToCidString(MultibaseEncoding.Base36));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Qm")]
    [InlineData("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJ")]
    [InlineData("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJNN")]
    [InlineData("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJ0")]
    [InlineData("QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY")]
    [InlineData("k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z")]
    [InlineData("k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-")]
    [InlineData("?unknownmultibase")]
    [InlineData("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")]
    [InlineData("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5S")]
    [InlineData("not a peer id")]
    public void Invalid_text_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => PeerId.Parse(text));
        Assert.False(PeerId.TryParse(text, out var peerId));
        Assert.Null(peerId);
    }

    [Fact]
    public void Sha256_peer_id_with_truncated_digest_is_refused()
    {
        var truncated = new Multihash(MultihashCode.Sha2_256, new byte[20]).ToBytes();

        Assert.Throws<FormatException>(() => PeerId.FromBytes(truncated));
    }

    [Fact]
    public void Identity_peer_id_must_hold_a_canonically_encoded_key()
    {
        var key = Ed25519PrivateKey.Generate().PublicKey;
        var encoded = key.ToProtobuf();
        byte[] reordered = [.. encoded[2..], .. encoded[..2]]; // Data before Type: valid protobuf, not canonical

        Assert.Equal(key, PublicKey.FromProtobuf(reordered));
        Assert.Throws<FormatException>(() => PeerId.FromBytes(new Multihash(MultihashCode.Identity, reordered).ToBytes()));
    }

    [Fact]
    public void Identity_peer_id_with_unknown_key_type_is_a_format_error()
    {
        byte[] inner = [0x08, 0x09, 0x12, 0x01, 0x00];

        Assert.Throws<FormatException>(() => PeerId.FromBytes(new Multihash(MultihashCode.Identity, inner).ToBytes()));
    }

    [Fact]
    public void Identity_peer_id_longer_than_42_bytes_is_refused()
    {
        var rsaLike = new byte[43];

        Assert.Throws<FormatException>(() => PeerId.FromBytes(new Multihash(MultihashCode.Identity, rsaLike).ToBytes()));
    }

    [Fact]
    public void Other_hash_functions_are_refused()
    {
        var sha512 = new Multihash(MultihashCode.Sha2_512, new byte[64]).ToBytes();

        Assert.Throws<FormatException>(() => PeerId.FromBytes(sha512));
    }

    [Fact]
    public void Equal_peer_ids_compare_and_hash_equal()
    {
        var a = PeerId.Parse("12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
        var b = PeerId.Parse("k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs");

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, PeerId.Parse("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"));
    }
}
