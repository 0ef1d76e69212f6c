using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxHeaderTests
{
    // Fixed vectors: version, type, flags (BE16), stream id (BE32), length (BE32), per the yamux spec's framing.
    public static TheoryData<string, byte, ushort, uint, uint> Vectors => new()
    {
        { "000000010000000100000005", 0, 0x1, 1, 5 },                   // Data SYN on stream 1 with 5 bytes
        { "000100020000000200040000", 1, 0x2, 2, 256 * 1024 },          // WindowUpdate ACK on stream 2, delta 256 KiB
        { "00020001000000000000002A", 2, 0x1, 0, 42 },                  // Ping SYN, opaque 42
        { "000200020000000000000007", 2, 0x2, 0, 7 },                   // Ping ACK, opaque 7
        { "000300000000000000000001", 3, 0x0, 0, 1 },                   // GoAway, protocol error
        { "00010004000000030000000000", 1, 0x4, 3, 0 },                 // WindowUpdate FIN (trailing byte ignored)
        { "0001000800000005DEADBEEF", 1, 0x8, 5, 0xDEADBEEF },          // WindowUpdate RST, error code
        { "0000000FFFFFFFFFFFFFFFFF", 0, 0xF, uint.MaxValue, uint.MaxValue },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decodes_fixed_vectors(string hex, byte type, ushort flags, uint streamId, uint length)
    {
        var header = YamuxHeader.Read(Convert.FromHexString(hex));
        Assert.Equal((YamuxFrameType)type, header.Type);
        Assert.Equal((YamuxFlags)flags, header.Flags);
        Assert.Equal(streamId, header.StreamId);
        Assert.Equal(length, header.Length);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encodes_fixed_vectors(string hex, byte type, ushort flags, uint streamId, uint length)
    {
        var bytes = new byte[YamuxHeader.Size];
        new YamuxHeader((YamuxFrameType)type, (YamuxFlags)flags, streamId, length).WriteTo(bytes);
        Assert.Equal(hex[..(YamuxHeader.Size * 2)], Convert.ToHexString(bytes));
    }

    [Fact]
    public void Round_trips_random_headers()
    {
        var random = new Random(7);
        var bytes = new byte[YamuxHeader.Size];
        for (var i = 0; i < 10_000; i++)
        {
            var header = new YamuxHeader(
                (YamuxFrameType)random.Next(4), (YamuxFlags)random.Next(ushort.MaxValue + 1), (uint)random.NextInt64(uint.MaxValue + 1L), (uint)random.NextInt64(uint.MaxValue + 1L));
            header.WriteTo(bytes);
            Assert.Equal(header, YamuxHeader.Read(bytes));
        }
    }

    [Theory]
    [InlineData("010000010000000100000005")] // version 1
    [InlineData("FF0000010000000100000005")] // version 255
    [InlineData("000400000000000000000000")] // type 4
    [InlineData("00FF00000000000000000000")] // type 255
    public void Rejects_unknown_version_or_type(string hex)
    {
        Assert.Throws<YamuxProtocolException>(() => YamuxHeader.Read(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Rejects_truncated_header()
    {
        Assert.Throws<ArgumentException>(() => YamuxHeader.Read(new byte[YamuxHeader.Size - 1]));
    }

    [Fact]
    public void Protocol_exception_is_an_IOException()
    {
        Assert.IsAssignableFrom<IOException>(new YamuxProtocolException("x"));
        Assert.IsAssignableFrom<IOException>(new YamuxStreamResetException(1, true));
        Assert.IsAssignableFrom<IOException>(new YamuxSessionClosedException("x"));
    }
}
