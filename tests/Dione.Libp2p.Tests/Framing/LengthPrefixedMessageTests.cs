using Dione.Libp2p.Framing;
using Dione.Libp2p.Protos;
using Dione.Libp2p.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Libp2p.Tests.Framing;

/// <summary>Protobuf messages through the length-prefixed framing, with the generated PublicKey type.</summary>
public class LengthPrefixedMessageTests
{
    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    private static PublicKey Ed25519Key() => new()
    {
        Type = KeyType.Ed25519,
        Data = ByteString.CopyFrom(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
    };

    [Fact]
    public async Task Writes_the_known_encoding_in_one_write()
    {
        var stream = new ScriptedDuplexStream([]);

        await LengthPrefixed.WriteMessageAsync(stream, Ed25519Key(), Token());

        // length 36, field 1 varint = 1, field 2 bytes of length 32
        var expected = Convert.FromHexString(
            "24" + "0801" + "1220" + "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        Assert.Equal(expected, Assert.Single(stream.Writes));
    }

    [Fact]
    public async Task Round_trips_and_returns_null_at_the_clean_end()
    {
        var stream = new MemoryStream();
        await LengthPrefixed.WriteMessageAsync(stream, Ed25519Key(), Token());
        await LengthPrefixed.WriteMessageAsync(stream, new PublicKey { Type = KeyType.Rsa, Data = ByteString.Empty }, Token());
        stream.Position = 0;

        Assert.Equal(Ed25519Key(), await LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, Token()));
        var second = await LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, Token());
        Assert.Equal(KeyType.Rsa, second!.Type);
        Assert.Null(await LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, Token()));
    }

    [Theory]
    [InlineData("02ffff")]          // invalid tag
    [InlineData("020880")]          // field 1 with a truncated varint value
    [InlineData("03122001")]        // bytes field announcing 32 bytes, 1 present
    [InlineData("0107")]            // wire type 7 does not exist
    public async Task Refuses_an_undecodable_payload(string frameHex)
    {
        var stream = new MemoryStream(Convert.FromHexString(frameHex));

        await Assert.ThrowsAsync<InvalidDataException>(
            () => LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, Token()));
    }

    [Theory]
    [InlineData("00")]              // empty message: both required fields missing
    [InlineData("020801")]          // Data missing
    [InlineData("021200")]          // Type missing
    public async Task Refuses_a_message_without_its_required_fields(string frameHex)
    {
        var stream = new MemoryStream(Convert.FromHexString(frameHex));

        await Assert.ThrowsAsync<InvalidDataException>(
            () => LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, Token()));
    }

    [Fact]
    public async Task Refuses_a_message_above_the_limit_before_parsing()
    {
        var stream = new MemoryStream();
        await LengthPrefixed.WriteMessageAsync(stream, Ed25519Key(), Token());
        stream.Position = 0;

        await Assert.ThrowsAsync<InvalidDataException>(
            () => LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 35, Token()));
    }

    [Fact]
    public async Task Reports_a_truncated_message_as_end_of_stream()
    {
        var stream = new MemoryStream(Convert.FromHexString("240801"));

        await Assert.ThrowsAsync<EndOfStreamException>(
            () => LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, Token()));
    }
}
