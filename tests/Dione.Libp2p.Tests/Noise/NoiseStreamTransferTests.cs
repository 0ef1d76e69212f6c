using System.Security.Cryptography;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>Data through a real handshake over real TCP.</summary>
public class NoiseStreamTransferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65519)]
    [InlineData(65520)]
    [InlineData((1 << 20) + 7)]
    public async Task Data_round_trips_in_both_directions(int size)
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var (client, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        var ct = NoiseTestPeers.Timeout();
        var payload = new byte[size];
        new Random(size).NextBytes(payload);

        foreach (var (from, to) in new[] { (client.Stream, server.Stream), (server.Stream, client.Stream) })
        {
            var write = from.WriteAsync(payload, ct).AsTask();
            var received = new byte[size];
            await to.ReadExactlyAsync(received, ct);
            await write;
            Assert.Equal(payload, received);
            // A trailing marker proves nothing extra (such as an empty frame read as data) was sent.
            await from.WriteAsync(new byte[] { 0xA5 }, ct);
            var marker = new byte[8];
            Assert.Equal(1, await to.ReadAsync(marker, ct));
            Assert.Equal(0xA5, marker[0]);
        }
    }

    [Fact]
    public async Task Sixty_four_MiB_arrive_intact()
    {
        const int total = 64 << 20;
        await using var pair = await LoopbackPair.CreateAsync();
        var (client, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        var ct = NoiseTestPeers.Timeout();

        var sender = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var random = new Random(64);
            var chunk = new byte[100_003];
            for (var sent = 0; sent < total;)
            {
                var size = Math.Min(chunk.Length - random.Next(0, 1000), total - sent);
                random.NextBytes(chunk.AsSpan(0, size));
                hash.AppendData(chunk, 0, size);
                await client.Stream.WriteAsync(chunk.AsMemory(0, size), ct);
                sent += size;
            }
            NoiseTestPeers.ShutDown(pair.Client, System.Net.Sockets.SocketShutdown.Send);
            return hash.GetHashAndReset();
        });

        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[40_000];
        long received = 0;
        int read;
        while ((read = await server.Stream.ReadAsync(buffer, ct)) > 0)
        {
            receivedHash.AppendData(buffer, 0, read);
            received += read;
        }
        Assert.Equal(total, received);
        Assert.Equal(await sender.WaitAsync(NoiseTestPeers.Deadline), receivedHash.GetHashAndReset());
    }

    [Fact]
    public async Task Both_directions_stream_at_once()
    {
        const int total = 8 << 20;
        await using var pair = await LoopbackPair.CreateAsync();
        var (client, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server);
        var ct = NoiseTestPeers.Timeout();

        async Task<byte[]> Send(Stream stream, int seed)
        {
            var data = new byte[total];
            new Random(seed).NextBytes(data);
            for (var offset = 0; offset < total; offset += 70_000)
            {
                await stream.WriteAsync(data.AsMemory(offset, Math.Min(70_000, total - offset)), ct);
            }
            return data;
        }

        async Task<byte[]> Receive(Stream stream)
        {
            var data = new byte[total];
            await stream.ReadExactlyAsync(data, ct);
            return data;
        }

        var clientSends = Task.Run(() => Send(client.Stream, 1));
        var serverSends = Task.Run(() => Send(server.Stream, 2));
        var clientReceives = Task.Run(() => Receive(client.Stream));
        var serverReceives = Task.Run(() => Receive(server.Stream));
        await Task.WhenAll(clientSends, serverSends, clientReceives, serverReceives).WaitAsync(NoiseTestPeers.Deadline);
        Assert.Equal(await clientSends, await serverReceives);
        Assert.Equal(await serverSends, await clientReceives);
    }
}
