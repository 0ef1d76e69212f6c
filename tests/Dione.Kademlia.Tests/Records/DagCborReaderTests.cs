using Dione.Kademlia.Records;

namespace Dione.Kademlia.Tests.Records;

public class DagCborReaderTests
{
    private static IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Read(string hex) => DagCborReader.ReadMap(Convert.FromHexString(hex));

    private static string Hex(ReadOnlyMemory<byte> encoding) => Convert.ToHexString(encoding.Span).ToLowerInvariant();

    [Fact]
    public void Returns_each_top_level_value_as_its_encoding()
    {
        // {"a": 1, "b": h'0102', "c": "x", "d": -500, "e": 2^63-1}
        var map = Read("a5" + "6161" + "01" + "6162" + "420102" + "6163" + "6178" + "6164" + "3901f3" + "6165" + "1b7fffffffffffffff");

        Assert.Equal("01", Hex(map["a"]));
        Assert.Equal("420102", Hex(map["b"]));
        Assert.Equal("6178", Hex(map["c"]));
        Assert.Equal("3901f3", Hex(map["d"]));
        Assert.Equal("1b7fffffffffffffff", Hex(map["e"]));
    }

    [Fact]
    public void Checks_nested_lists_maps_links_floats_and_simple_values()
    {
        // {"_x": [true, false, null, 1.5, {"k": []}], "_y": 42(h'00' + CIDv1 raw identity "a")}
        var map = Read(
            "a2" + "625f78" + "85" + "f5" + "f4" + "f6" + "fb3ff8000000000000" + "a1" + "616b" + "80"
            + "625f79" + "d82a" + "46" + "00" + "01550001" + "61");

        Assert.Equal("85f5f4f6fb3ff8000000000000a1616b80", Hex(map["_x"]));
        Assert.Equal("d82a46000155000161", Hex(map["_y"]));
    }

    [Fact]
    public void Reads_the_data_of_the_v2_spec_vector()
    {
        var record = Dione.Kademlia.Protos.IpnsEntry.Parser.ParseFrom(IpnsFixtures.Get("v2").Bytes);

        var map = DagCborReader.ReadMap(record.Data.Memory);

        Assert.Equal(["Sequence", "TTL", "Validity", "ValidityType", "Value"], map.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("00", Hex(map["ValidityType"]));
    }

    [Fact]
    public void Writer_reproduces_the_data_of_the_v2_spec_vector()
    {
        var record = IpnsRecord.Parse(IpnsFixtures.Get("v2").Bytes);

        var data = IpnsRecord.EncodeData(record.Value.Span, record.ValidityBytes.Span, record.Sequence, record.TtlNanoseconds);

        Assert.Equal(record.Entry.Data.ToByteArray(), data);
    }

    [Theory]
    [InlineData("", "end of CBOR")]
    [InlineData("01", "not a map")]
    [InlineData("80", "not a map")]
    [InlineData("f6", "not a map")]
    [InlineData("a1616101" + "00", "trailing")]
    [InlineData("a2616101", "exceeds available buffer")]
    [InlineData("a2616101" + "6162", "end of CBOR")]
    [InlineData("a2616101616102" + "00", "duplicate keys")]
    [InlineData("bf616101ff", "indefinite")]
    [InlineData("a1615f" + "5f4101ff", "indefinite")]
    [InlineData("a1616101" + "a1", "trailing")]
    [InlineData("a2616201616101", "keys not sorted")]
    [InlineData("a2616101616101", "duplicate keys")]
    [InlineData("a2626262016163" + "00", "keys not sorted")]
    [InlineData("a10101", "not a string")]
    [InlineData("a1616118" + "05", "non-canonical integer")]
    [InlineData("a16161190010", "non-canonical integer")]
    [InlineData("a161611a0000ffff", "non-canonical integer")]
    [InlineData("a161611b00000000ffffffff", "non-canonical integer")]
    [InlineData("b80161610101", "non-canonical integer")]
    [InlineData("a161611c", "invalid integer encoding")]
    [InlineData("a161611b8000000000000000", "64-bit")]
    [InlineData("a161613b8000000000000000", "64-bit")]
    [InlineData("a16161f97e00", "float width")]
    [InlineData("a16161fa3fc00000", "float width")]
    [InlineData("a16161fb7ff8000000000000", "not finite")]
    [InlineData("a16161fb7ff0000000000000", "not finite")]
    [InlineData("a16161f7", "simple value")]
    [InlineData("a16161f0", "simple value")]
    [InlineData("a16161f820", "simple value")]
    [InlineData("a16161c101", "tag 1")]
    [InlineData("a16161d82a4101", "prefix")]
    [InlineData("a16161d82a6100", "not a byte string")]
    [InlineData("a16161d82a420001", "CID")]
    [InlineData("a1616162c328", "UTF-8")]
    [InlineData("a162c3280101", "UTF-8")]
    [InlineData("a161615a00010000", "exceeds available buffer")]
    [InlineData("a161619b00000000ffffffff", "non-canonical integer")]
    [InlineData("a16161997fff", "exceeds available buffer")]
    public void Refuses_what_dag_cbor_forbids(string hex, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Read(hex));

        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Refuses_nesting_beyond_the_depth_limit()
    {
        var nested = "a16161" + string.Concat(Enumerable.Repeat("81", DagCborReader.MaxDepth)) + "01";

        var error = Assert.Throws<FormatException>(() => Read(nested));

        Assert.Contains("deeply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_nesting_up_to_the_depth_limit()
    {
        var nested = "a16161" + string.Concat(Enumerable.Repeat("81", DagCborReader.MaxDepth - 2)) + "01";

        Assert.Equal(nested[6..], Hex(Read(nested)["a"]));
    }

    [Fact]
    public void Writer_output_reads_back_with_keys_sorted()
    {
        var data = IpnsRecord.EncodeData(new byte[300], "2999-01-01T00:00:00Z"u8, 0x1_0000_0000, 23);

        var map = DagCborReader.ReadMap(data);

        // Canonical order: shorter keys first, then bytewise.
        Assert.StartsWith("a5" + "63" + Convert.ToHexString("TTL"u8).ToLowerInvariant() + "17", Hex(data));
        Assert.Equal("1b0000000100000000", Hex(map["Sequence"]));
        Assert.Equal(3 + 300, map["Value"].Length);
    }
}
