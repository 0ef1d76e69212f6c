using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxReceiveBufferTests
{
    [Fact]
    public void Preserves_order_across_many_appends_and_partial_reads()
    {
        var buffer = new YamuxReceiveBuffer();
        var data = YamuxTestUtil.RandomBytes(1_000_000, 3);
        var random = new Random(3);
        var written = 0;
        var read = 0;
        var output = new byte[data.Length];
        while (read < data.Length)
        {
            if (written < data.Length && random.Next(2) == 0)
            {
                var n = Math.Min(random.Next(1, 70_000), data.Length - written);
                buffer.Append(data.AsSpan(written, n));
                written += n;
            }
            else
            {
                var n = buffer.Read(output.AsSpan(read, Math.Min(random.Next(1, 50_000), data.Length - read)));
                read += n;
            }
            Assert.Equal(written - read, buffer.Length);
        }
        Assert.Equal(data, output);
    }

    [Fact]
    public void Direct_write_memory_becomes_readable_on_commit()
    {
        var buffer = new YamuxReceiveBuffer();
        buffer.Append("ab"u8);
        Assert.True(buffer.TryGetWriteMemory(3, out var memory));
        "cde"u8.CopyTo(memory.Span);
        // Reading meanwhile sees only committed bytes and leaves the loaned segment alone.
        var first = new byte[10];
        Assert.Equal(2, buffer.Read(first));
        buffer.Commit(3);
        Assert.Equal(3, buffer.Length);
        Assert.Equal(3, buffer.Read(first));
        Assert.Equal("cde"u8.ToArray(), first[..3]);
    }

    [Fact]
    public void Release_drops_data_and_ignores_later_input()
    {
        var buffer = new YamuxReceiveBuffer();
        buffer.Append(new byte[10_000]);
        Assert.True(buffer.TryGetWriteMemory(100, out _));
        buffer.Release();
        buffer.Commit(100);
        buffer.Append(new byte[5]);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(0, buffer.Read(new byte[10]));
        Assert.False(buffer.TryGetWriteMemory(10, out _));
    }
}
