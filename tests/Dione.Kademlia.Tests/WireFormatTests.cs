using Dione.Kademlia.Protos;
using Google.Protobuf;

namespace Dione.Kademlia.Tests;

public class WireFormatTests
{
    [Fact]
    public void Field_numbers_match_go_and_js()
    {
        var message = new Message
        {
            Type = Message.Types.MessageType.FindNode,
            Key = ByteString.CopyFrom(1, 2),
            Record = new Protos.Record { Key = ByteString.CopyFrom(3), Value = ByteString.CopyFrom(4), TimeReceived = "t" },
        };
        message.CloserPeers.Add(new Message.Types.Peer { Id = ByteString.CopyFrom(5), Connection = Message.Types.ConnectionType.Connected });
        message.ProviderPeers.Add(new Message.Types.Peer { Id = ByteString.CopyFrom(6) });
        message.CloserPeers[0].Addrs.Add(ByteString.CopyFrom(7));

        var bytes = Convert.ToHexString(message.ToByteArray()).ToLowerInvariant();

        // type=1 varint 4; key=2; record=3 {key=1, value=2, timeReceived=5}; closerPeers=8 {id=1, addrs=2, connection=3}; providerPeers=9
        Assert.Equal("0804" + "12020102" + "1a09" + "0a0103" + "120104" + "2a0174" + "4208" + "0a0105" + "120107" + "1801" + "4a03" + "0a0106", bytes);
    }
}
