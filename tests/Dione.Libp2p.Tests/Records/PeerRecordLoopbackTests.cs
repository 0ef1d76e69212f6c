using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Records;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Records;

/// <summary>A signed peer record carried over a real loopback TCP connection, with the listener's real address.</summary>
public class PeerRecordLoopbackTests
{
    [Fact]
    public async Task Record_sent_over_tcp_opens_on_the_other_side()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var pair = await LoopbackPair.CreateAsync(timeout.Token);
        var key = PrivateKey.Generate(KeyType.Secp256k1);
        var peerId = PeerId.FromPublicKey(key.PublicKey);
        var serverEndPoint = (System.Net.IPEndPoint)pair.Client.Socket.RemoteEndPoint!;
        var listenAddress = Multiaddress.FromTcpEndPoint(serverEndPoint).WithPeerId(peerId);
        var envelope = new PeerRecord(peerId, [listenAddress]).ToSignedEnvelope(key).ToBytes();

        var send = SendAsync(pair.Server, envelope, timeout.Token);
        var length = await Varint.ReadAsync(pair.Client, timeout.Token);
        Assert.NotNull(length);
        Assert.InRange(length.Value, 1UL, (ulong)SignedEnvelope.MaxLength);
        var received = new byte[(int)length.Value];
        await pair.Client.ReadExactlyAsync(received, timeout.Token);
        await send;

        var record = PeerRecord.FromSignedEnvelope(received);

        Assert.Equal(peerId, record.PeerId);
        Assert.Equal(listenAddress, Assert.Single(record.Addresses));
        Assert.Equal(serverEndPoint, record.Addresses[0].ToTcpEndPoint());
    }

    private static async Task SendAsync(Stream stream, byte[] envelope, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Varint.Encode((ulong)envelope.Length), cancellationToken);
        await stream.WriteAsync(envelope, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
