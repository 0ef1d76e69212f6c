using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>CIDs: vectors from multiformats/cid and go-cid, version rules, and malformed input.</summary>
public class CidTests
{
    [Fact]
    public void Cid_spec_example_is_cidv1_raw_sha256()
    {
        // multiformats/cid README "Human-Readable Form" example.
        var cid = Cid.Parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");

        Assert.Equal(1, cid.Version);
        Assert.Equal(Multicodec.Raw, cid.Codec);
        Assert.Equal(MultihashCode.Sha2_256, cid.Multihash.Code);
        Assert.Equal("6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95", Convert.ToHexStringLower(cid.Multihash.Digest.Span));
        Assert.Equal("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", cid.ToString(MultibaseEncoding.Base58Btc));
    }

    [Fact]
    public void Go_cid_hex_vector_prints_as_base32()
    {
        // go-cid cid_test.go: the same CID in base16 and base32.
        var fromHex = Cid.Parse("f015512209d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63");

        Assert.Equal("bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm", fromHex.ToString());
        Assert.Equal(fromHex, Cid.Parse("bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm"));
    }

    [Theory]
    [InlineData("bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm", 1, Multicodec.Raw)]
    [InlineData("k2cwueckqkibutvhkr4p2ln2pjcaxaakpd9db0e7j7ax1lxhhxy3ekpv", 1, Multicodec.Raw)]
    [InlineData("Qmf5Qzp6nGBku7CEn2UQx4mgN8TW69YUok36DrGa6NN893", 0, Multicodec.DagPb)]
    [InlineData("zb2rhZi1JR4eNc2jBGaRYJKYM8JEB4ovenym8L1CmFsRAytkz", 1, Multicodec.Raw)]
    [InlineData("bafkqarjpmzuwyzltorxxezjpkvcfgqkfjfbfcvslivje2vchkzdu6rckjjcfgtkolaze6mssjqzeyn2ekrcfatkjku2vowseky3fswkfkm2deqkrju3e2", 1, Multicodec.Raw)]
    [InlineData("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", 1, Multicodec.Libp2pKey)]
    public void Go_cid_and_peer_id_spec_vectors_parse_and_round_trip_in_binary(string text, int version, ulong codec)
    {
        var cid = Cid.Parse(text);

        Assert.Equal(version, cid.Version);
        Assert.Equal(codec, cid.Codec);
        Assert.Equal(cid, Cid.FromBytes(cid.ToBytes()));
        Assert.Equal(cid, Cid.Parse(cid.ToString()));
    }

    [Fact]
    public void Cidv0_converts_to_cidv1_dag_pb()
    {
        var v0 = Cid.Parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");

        var v1 = v0.ToV1();

        Assert.Equal("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n", v0.ToString());
        Assert.Equal(34, v0.ToBytes().Length);
        Assert.Equal(Multicodec.DagPb, v1.Codec);
        Assert.StartsWith("bafybei", v1.ToString(), StringComparison.Ordinal);
        Assert.Equal(v0.Multihash, v1.Multihash);
        Assert.NotEqual(v0, v1);
        Assert.Throws<InvalidOperationException>(() => v0.ToString(MultibaseEncoding.Base32));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Q")]
    [InlineData("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zIII")]
    [InlineData("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1")]
    [InlineData("zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")]
    [InlineData("bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3m")]
    [InlineData("bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mmaa")]
    [InlineData("f02551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63")]
    [InlineData("f03551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63")]
    [InlineData("f00551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63")]
    [InlineData("f0155")]
    [InlineData("f01")]
    public void Malformed_cid_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => Cid.Parse(text));
        Assert.False(Cid.TryParse(text, out _));
    }

    [Fact]
    public void Cidv0_requires_a_full_sha256_multihash()
    {
        var truncated = new Multihash(MultihashCode.Sha2_256, new byte[20]);

        Assert.Throws<ArgumentException>(() => Cid.CreateV0(truncated));
        Assert.Throws<FormatException>(() => Cid.FromBytes([0x12, 0x20, 0x00]));
    }
}
