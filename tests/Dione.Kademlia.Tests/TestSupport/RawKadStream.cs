using Dione.Kademlia.Protos;
using Dione.Libp2p.Framing;
using Dione.Libp2p.Host;
using Dione.Libp2p.Yamux;
using Google.Protobuf;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>Hand-driven kad streams for tests that need exact control of what is sent.</summary>
internal static class RawKadStream
{
    public static Task<StreamContext> OpenAsync(KadTestNode from, KadTestNode to) =>
        from.Host.NewStreamAsync(to.PeerId, [to.Options.ProtocolId], Timeouts.Token());

    public static async Task<Message> RoundTripAsync(StreamContext stream, Message request)
    {
        await stream.WriteMessageAsync(request, Timeouts.Token());
        return await ReadAsync(stream) ?? throw new EndOfStreamException("closed without a reply");
    }

    public static Task<Message?> ReadAsync(StreamContext stream) =>
        stream.ReadMessageAsync(Message.Parser, Timeouts.Token());

    public static async Task WriteRawAsync(StreamContext stream, byte[] bytes)
    {
        await stream.Stream.WriteAsync(bytes, Timeouts.Token());
        await stream.Stream.FlushAsync(Timeouts.Token());
    }

    public static Task WriteFramedAsync(StreamContext stream, byte[] payload) =>
        WriteRawAsync(stream, Framed(payload));

    public static byte[] Framed(byte[] payload)
    {
        using var buffer = new MemoryStream();
        LengthPrefixed.WriteAsync(buffer, payload, CancellationToken.None).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>Asserts the peer resets the stream: the next read fails (it neither answers nor closes cleanly).</summary>
    /// <summary>
    /// Sends <paramref name="request"/> on a stream the server is expected to refuse, then asserts the reset. The reset
    /// may come before the request is written (the server refuses at the stream's first bytes, the protocol's name),
    /// so a write that meets it is the expected outcome too.
    /// </summary>
    public static async Task AssertRequestIsResetAsync(StreamContext stream, IMessage request)
    {
        try
        {
            await stream.WriteMessageAsync(request, Timeouts.Token());
        }
        catch (YamuxStreamResetException)
        {
            // Already reset: the read below sees it too.
        }
        await AssertResetAsync(stream);
    }

    public static async Task AssertResetAsync(StreamContext stream)
    {
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (await ReadAsync(stream) is not null)
            {
                Assert.Fail("the server answered instead of resetting the stream");
            }
            Assert.Fail("the server closed the stream cleanly instead of resetting it");
        });
    }
}
