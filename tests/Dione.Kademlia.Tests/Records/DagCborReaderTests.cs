using Dione.Kademlia.Records;

namespace Dione.Kademlia.Tests.Records;

public class DagCborReaderTests
{
    private static IReadOnlyDictionary<string, DagCborValue> Read(string hex) => DagCborReader.ReadMap(Convert.FromHexString(hex));

    [Fact]
    public void Reads_integers_bytes_and_text_of_a_top_level_map()
    {
        // {"a": 1, "b": h'0102', "c": "x", "d": -500, "e": 2^63-1}
        var map = Read("a5" + "6161" + "01" + "6162" + "420102" + "6163" + "6178" + "6164" + "3901f3" + "6165" + "1b7fffffffffffffff");

        Assert.Equal(1, map["a"].Integer);
        Assert.Equal([1, 2], map["b"].Bytes.ToArray());
        Assert.Equal(DagCborKind.Text, map["c"].Kind);
        Assert.Equal(-500, map["d"].Integer);
        Assert.Equal(long.MaxValue, map["e"].Integer);
    }

    [Fact]
    public void Checks_and_skips_nested_lists_maps_links_floats_and_simple_values()
    {
        // {"_x": [true, false, null, 1.5, {"k": []}], "_y": 42(h'00' + CIDv1 raw identity "a")}
        var map = Read(
            "a2" + "625f78" + "85" + "f5" + "f4" + "f6" + "fb3ff8000000000000" + "a1" + "616b" + "80"
            + "625f79" + "d82a" + "46" + "00" + "01550001" + "61");

        Assert.Equal(DagCborKind.Other, map["_x"].Kind);
        Assert.Equal(DagCborKind.Other, map["_y"].Kind);
    }

    [Fact]
    public void Reads_the_data_of_the_v2_spec_vector()
    {
        var record = Dione.Kademlia.Protos.IpnsEntry.Parser.ParseFrom(IpnsFixtures.Get("v2").Bytes);

        var map = DagCborReader.ReadMap(record.Data.Memory);

        Assert.Equal(["Sequence", "TTL", "Validity", "ValidityType", "Value"], map.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, map["ValidityType"].Integer);
    }

    [Theory]
    [InlineData("", "truncated")]
    [InlineData("01", "not a map")]
    [InlineData("80", "not a map")]
    [InlineData("f6", "simple value")]
    [InlineData("a1616101" + "00", "trailing")]
    [InlineData("a2616101", "longer than")]
    [InlineData("a2616101" + "6162", "truncated")]
    [InlineData("a2616101616102" + "00", "order")]
    [InlineData("bf616101ff", "indefinite")]
    [InlineData("a1615f" + "5f4101ff", "indefinite")]
    [InlineData("a1616101" + "a1", "trailing")]
    [InlineData("a2616201616101", "order")]
    [InlineData("a2616101616101", "order")]
    [InlineData("a2626262016163" + "00", "order")]
    [InlineData("a10101", "not a string")]
    [InlineData("a1616118" + "05", "shortest")]
    [InlineData("a16161190010", "shortest")]
    [InlineData("a161611a0000ffff", "shortest")]
    [InlineData("a161611b00000000ffffffff", "shortest")]
    [InlineData("b80161610101", "shortest")]
    [InlineData("a161611c", "reserved")]
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
    [InlineData("a161615a00010000", "truncated")]
    [InlineData("a161619b00000000ffffffff", "shortest")]
    [InlineData("a16161997fff", "longer than")]
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

        Assert.Equal(DagCborKind.Other, Read(nested)["a"].Kind);
    }

    [Fact]
    public void Writer_output_reads_back()
    {
        var writer = new DagCborWriter();
        writer.WriteMapHeader(3);
        writer.WriteText("a");
        writer.WriteUnsigned(0x1_0000_0000);
        writer.WriteText("b");
        writer.WriteBytes(new byte[300]);
        writer.WriteText("cc");
        writer.WriteUnsigned(23);

        var map = DagCborReader.ReadMap(writer.ToArray());

        Assert.Equal(0x1_0000_0000, map["a"].Integer);
        Assert.Equal(300, map["b"].Bytes.Length);
        Assert.Equal(23, map["cc"].Integer);
    }
}
