using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Libp2p.Tests.Host;

public class HostLimitsAndMetricsTests
{
    private const string Sink = "/test/sink/1.0.0";

    [Fact]
    public async Task A_message_over_the_hosts_size_limit_is_refused_without_reading_it()
    {
        var refused = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var limits = new HostLimits { MaxMessageSize = 4096 };
        await using var server = await TestHosts.StartAsync(b => b.WithLimits(limits).WithProtocol(Sink, async (context, ct) =>
        {
            try
            {
                await context.ReadMessageAsync(Protos.PublicKey.Parser, ct);
                refused.TrySetException(new InvalidOperationException("the oversized message was read"));
            }
            catch (InvalidDataException e)
            {
                refused.TrySetResult(e);
            }
        }));
        await using var client = await TestHosts.StartAsync();
        await client.DialAsync(server.DialAddress(), Timeouts.Token());
        await using var stream = await client.NewStreamAsync(server.PeerId, [Sink], Timeouts.Token());

        await stream.Stream.WriteAsync(Varint.Encode(1UL << 40), Timeouts.Token());

        Assert.Contains("4096", (await refused.Task.WaitAsync(Timeouts.Test)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_within_the_limit_round_trip_through_the_stream_context()
    {
        var echoed = new Protos.PublicKey { Type = Protos.KeyType.Ed25519, Data = ByteString.CopyFrom(new byte[32]) };
        await using var server = await TestHosts.StartAsync(b => b.WithProtocol(Sink, async (context, ct) =>
        {
            while (await context.ReadMessageAsync(Protos.PublicKey.Parser, ct) is { } message)
            {
                await context.WriteMessageAsync(message, ct);
            }
        }));
        await using var client = await TestHosts.StartAsync();
        await client.DialAsync(server.DialAddress(), Timeouts.Token());
        await using var stream = await client.NewStreamAsync(server.PeerId, [Sink], Timeouts.Token());

        await stream.WriteMessageAsync(echoed, Timeouts.Token());
        await stream.WriteMessageAsync(echoed, Timeouts.Token());
        await stream.CloseWriteAsync(Timeouts.Token());

        Assert.Equal(echoed, await stream.ReadMessageAsync(Protos.PublicKey.Parser, Timeouts.Token()));
        Assert.Equal(echoed, await stream.ReadMessageAsync(Protos.PublicKey.Parser, Timeouts.Token()));
        Assert.Null(await stream.ReadMessageAsync(Protos.PublicKey.Parser, Timeouts.Token()));
    }

    [Fact]
    public async Task Connections_streams_and_refusals_are_counted()
    {
        await using var server = await TestHosts.StartAsync(b => b.WithProtocol(Sink, (_, _) => Task.CompletedTask));
        await using var client = await TestHosts.StartAsync();
        var counts = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == server.Metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tag = tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : "";
            counts.AddOrUpdate($"{instrument.Name}|{tag}", value, (_, n) => n + value);
        });
        listener.Start();

        await client.DialAsync(server.DialAddress(), Timeouts.Token());
        await using (var stream = await client.NewStreamAsync(server.PeerId, [Sink], Timeouts.Token()))
        {
            Assert.Equal(0, await stream.Stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, Timeouts.Token()));
        }
        var refusedStream = await client.Connections[0].OpenStreamAsync(["/absent/1.0.0"], Timeouts.Token());
        await Assert.ThrowsAnyAsync<Exception>(async () => await refusedStream.Stream.ReadExactlyAsync(new byte[1], Timeouts.Token()));
        refusedStream.Reset(); // the listener waits for another proposal until the dialer gives up
        await WaitUntilAsync(() => counts.GetValueOrDefault("dione.libp2p.streams.refused|") == 1);
        await client.DisposeAsync();
        await WaitUntilAsync(() => counts.GetValueOrDefault("dione.libp2p.connections.closed|direction=inbound") == 1);

        Assert.Equal(1, counts.GetValueOrDefault("dione.libp2p.connections.opened|direction=inbound"));
        Assert.Equal(1, counts.GetValueOrDefault($"dione.libp2p.streams.inbound|protocol={Sink}"));
        Assert.Equal(1, counts.GetValueOrDefault("dione.libp2p.streams.refused|"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Test);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            await timer.WaitForNextTickAsync(timeout.Token);
        }
    }
}
