using System.Diagnostics;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxSessionMutationTests
{
    private readonly YamuxSettings _fuzzSettings = new()
    {
        KeepAliveInterval = null,
        MaxInboundStreams = 4,
        AcceptBacklog = 3,
        CloseFlushTimeout = TimeSpan.FromMilliseconds(200),
    };

    private int _acceptedStreams;

    [Fact]
    public async Task Mutated_frame_streams_always_end_the_session_cleanly()
    {
        var mutator = new SeededMutator(424242);
        var random = mutator.Random;
        var stopwatch = Stopwatch.StartNew();
        const int iterations = 10_000;
        var pending = new List<Task>();
        for (var i = 0; i < iterations; i++)
        {
            var (frames, headerStarts) = PlausibleFrames(random);
            // Some scripts stay valid; in the others half of the point edits hit header bytes (where mutations matter).
            var script = random.Next(4) == 0 ? frames : mutator.Mutate(frames, YamuxTestUtil.HeaderByteOffsets(headerStarts));
            pending.Add(RunSessionAsync(script, random.Next()));
            if (pending.Count == 64)
            {
                await Task.WhenAll(pending).WaitAsync(Timeouts.Test);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending).WaitAsync(Timeouts.Test);
        Assert.True(stopwatch.Elapsed < Timeouts.Test);
        // The scripts get past the framing into the stream state machine and up to the application. (The transport
        // yields on every read, as a socket would, so the application gets to accept streams before the script ends.)
        Assert.True(_acceptedStreams > iterations / 10, $"only {_acceptedStreams} streams were accepted");
    }

    // One session (the listener: the script opens odd ids) reads the script to its end. Whatever the bytes, the
    // session must end by itself, streams handed to the application must fail or end cleanly, and nothing may hang.
    private async Task RunSessionAsync(byte[] script, int seed)
    {
        var session = new YamuxSession(new ScriptedDuplexStream(script, maxReadChunk: 4095, chunkSeed: seed, yieldOnRead: true), isInitiator: false, _fuzzSettings);
        session.Start();
        var consumer = ConsumeStreamsAsync(session, seed);
        await session.Completion.WaitAsync(Timeouts.Test);
        await consumer.WaitAsync(Timeouts.Test);
        await session.DisposeAsync();
    }

    private async Task ConsumeStreamsAsync(YamuxSession session, int seed)
    {
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                var stream = await session.AcceptStreamAsync(CancellationToken.None);
                Interlocked.Increment(ref _acceptedStreams);
                try
                {
                    switch (seed++ % 3)
                    {
                        case 0:
                            while (await stream.ReadAsync(buffer) > 0)
                            {
                            }
                            break;
                        case 1:
                            await stream.WriteAsync(buffer);
                            stream.Reset();
                            break;
                        default:
                            await stream.DisposeAsync();
                            break;
                    }
                }
                catch (IOException)
                {
                    // Reset by the script or session gone: expected outcomes.
                }
            }
        }
        catch (YamuxSessionClosedException)
        {
            // The session ended.
        }
    }

    private static (byte[] Wire, List<int> HeaderStarts) PlausibleFrames(Random random)
    {
        using var wire = new MemoryStream();
        var offsets = new List<int>();
        var header = new byte[YamuxHeader.Size];
        var frames = random.Next(1, 12);
        for (var i = 0; i < frames; i++)
        {
            var streamId = (uint)(random.Next(0, 6) * 2 + 1);
            YamuxHeader frame;
            byte[] payload = [];
            // Most scripts start by opening a stream, so that later frames reach a live stream.
            switch (i == 0 && random.Next(4) != 0 ? 0 : random.Next(9))
            {
                case 0:
                    frame = new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, streamId, (uint)random.Next(0, 1 << 20));
                    break;
                case 1:
                case 2:
                    payload = new byte[random.Next(0, 2000)];
                    frame = new YamuxHeader(YamuxFrameType.Data, (YamuxFlags)random.Next(16), streamId, (uint)payload.Length);
                    break;
                case 3:
                    frame = new YamuxHeader(YamuxFrameType.WindowUpdate, (YamuxFlags)random.Next(16), streamId, (uint)random.Next());
                    break;
                case 4:
                    frame = new YamuxHeader(YamuxFrameType.Ping, (YamuxFlags)random.Next(1, 3), 0, (uint)random.Next());
                    break;
                case 5:
                    frame = new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)random.Next(3));
                    break;
                case 6:
                    frame = new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin | YamuxFlags.Rst & (YamuxFlags)random.Next(16), streamId, 0);
                    break;
                case 7:
                    // A length beyond any window: the session must refuse it from the header alone.
                    frame = new YamuxHeader(YamuxFrameType.Data, (YamuxFlags)random.Next(2), streamId, (uint)random.Next(300_000, int.MaxValue));
                    payload = new byte[random.Next(0, 100)];
                    break;
                default:
                    payload = new byte[random.Next(0, 64 * 1024)];
                    frame = new YamuxHeader(YamuxFrameType.Data, YamuxFlags.Syn, streamId, (uint)payload.Length);
                    break;
            }
            offsets.Add((int)wire.Position);
            frame.WriteTo(header);
            wire.Write(header);
            wire.Write(payload);
        }
        return (wire.ToArray(), offsets);
    }
}
