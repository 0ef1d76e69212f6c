using System.Numerics;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

public class KadIdTests
{
    private const string Sha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Sha256Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void Key_ids_are_sha256_of_the_key_bytes()
    {
        Assert.Equal(Sha256Empty, KadId.FromKey([]).ToString());
        Assert.Equal(Sha256Abc, KadId.FromKey("abc"u8).ToString());
    }

    [Theory]
    // mars.i.ipfs.io (RSA, sha2-256 peer id) and the js bootstrapper (Ed25519, identity peer id): SHA-256 of the binary id.
    [InlineData("QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ", "0985870c96472d4db0cab5d9faa488deebb6dd020c681d756276a4c13258a8f0")]
    [InlineData("12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8", "1dc8c060fa499346caccffed197347ccee5d7c10228b9d6f41b9e492fd9d0374")]
    public void Peer_ids_hash_their_binary_multihash(string peer, string expected)
    {
        Assert.Equal(expected, KadId.FromPeerId(PeerId.Parse(peer)).ToString());
    }

    [Fact]
    public void Xor_and_common_prefix_length_of_known_hashes()
    {
        var empty = KadId.FromKey([]);
        var abc = KadId.FromKey("abc"u8);

        Assert.Equal("59c8d2fd17fdd3fedbbab416c4c19b0797ad2047f28ce9d01085667a8a52adf8", empty.Xor(abc).ToString());
        Assert.Equal(1, empty.CommonPrefixLength(abc)); // e3 = 1110..., ba = 1011...
        Assert.Equal(256, abc.CommonPrefixLength(abc));
        Assert.Equal(KadId.Zero, abc.Xor(abc));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(200)]
    [InlineData(255)]
    public void Flipping_bit_n_gives_common_prefix_length_n(int bit)
    {
        var id = KadId.FromKey("abc"u8);
        var flipped = id.FlipBit(bit);

        Assert.Equal(bit, id.CommonPrefixLength(flipped));
        Assert.Equal(1 - id.GetBit(bit), flipped.GetBit(bit));
        Assert.Equal(255 - bit, BitLength(ToBigInteger(id.Xor(flipped))) - 1);
    }

    [Fact]
    public void Zero_has_256_leading_zeros_and_one_in_the_last_bit_has_255()
    {
        Assert.Equal(256, KadId.Zero.LeadingZeroCount());
        Assert.Equal(255, KadId.Zero.FlipBit(255).LeadingZeroCount());
        Assert.Equal(0, KadId.Zero.FlipBit(0).LeadingZeroCount());
        Assert.Equal(new string('0', 63) + "1", KadId.Zero.FlipBit(255).ToString());
    }

    [Fact]
    public void Distances_and_prefix_lengths_agree_with_big_integer_arithmetic()
    {
        var random = new Random(1);
        for (var i = 0; i < 20_000; i++)
        {
            var target = RandomId(random);
            var a = RandomId(random);
            var b = i % 5 == 0 ? a.FlipBit(random.Next(256)) : RandomId(random);
            var da = ToBigInteger(a.Xor(target));
            var db = ToBigInteger(b.Xor(target));

            Assert.Equal(Math.Sign(da.CompareTo(db)), Math.Sign(target.CompareDistance(a, b)));
            Assert.Equal(da < db, target.IsCloser(a, b));
            Assert.Equal(256 - BitLength(da), a.CommonPrefixLength(target));
            Assert.Equal(Math.Sign(ToBigInteger(a).CompareTo(ToBigInteger(b))), Math.Sign(a.CompareTo(b)));
        }
    }

    [Fact]
    public void Bytes_round_trip_and_equality_follows_the_value()
    {
        var random = new Random(2);
        for (var i = 0; i < 100; i++)
        {
            var bytes = new byte[32];
            random.NextBytes(bytes);
            var id = KadId.FromBytes(bytes);

            Assert.Equal(bytes, id.ToBytes());
            Assert.Equal(id, KadId.FromBytes(id.ToBytes()));
            Assert.Equal(id.GetHashCode(), KadId.FromBytes(bytes).GetHashCode());
            Assert.True(id == KadId.FromBytes(bytes));
        }
        Assert.Throws<ArgumentException>(() => KadId.FromBytes(new byte[31]));
        Assert.Throws<ArgumentException>(() => KadId.FromBytes(new byte[33]));
    }

    [Fact]
    public void With_prefix_takes_exactly_the_first_n_bits()
    {
        var random = new Random(3);
        for (var n = 0; n <= 256; n++)
        {
            var source = RandomId(random);
            var prefix = RandomId(random);
            var mixed = source.WithPrefix(prefix, n);
            for (var bit = 0; bit < 256; bit++)
            {
                Assert.Equal(bit < n ? prefix.GetBit(bit) : source.GetBit(bit), mixed.GetBit(bit));
            }
        }
    }

    private static KadId RandomId(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return KadId.FromBytes(bytes);
    }

    private static BigInteger ToBigInteger(KadId id) => new(id.ToBytes(), isUnsigned: true, isBigEndian: true);

    private static int BitLength(BigInteger value) => value.IsZero ? 0 : (int)value.GetBitLength();
}
