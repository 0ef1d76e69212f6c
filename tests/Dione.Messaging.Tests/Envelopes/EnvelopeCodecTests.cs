using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Tests.Sessions;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Envelopes;

public class EnvelopeCodecTests
{
    private static Envelope Valid() => EnvelopeCodec.Create(
        new byte[32], new byte[EnvelopeCodec.EncryptedHeaderLength], new byte[256 + 16], TestSessions.Epoch, new byte[32], [1, 2, 3]);

    [Fact]
    public void EncodeThenParseRoundTrips()
    {
        var envelope = Valid();
        var parsed = EnvelopeCodec.Parse(EnvelopeCodec.Encode(envelope));
        Assert.Equal(envelope, parsed);
        Assert.Equal(1u, parsed.Version);
        Assert.Equal((ulong)TestSessions.Epoch.ToUnixTimeSeconds(), parsed.ExpiresUnixSeconds);
    }

    [Fact]
    public void TheLargestEnvelopeFitsTheEncodedLimit()
    {
        var envelope = EnvelopeCodec.Create(
            new byte[32], new byte[80], new byte[65536 + 16], DateTimeOffset.MaxValue, new byte[32], new byte[EnvelopeCodec.MaxIntroLength]);
        var encoded = EnvelopeCodec.Encode(envelope);
        Assert.True(encoded.Length <= EnvelopeCodec.MaxEncodedLength);
        Assert.Equal(envelope, EnvelopeCodec.Parse(encoded));
    }

    [Theory]
    [InlineData("version")]
    [InlineData("address")]
    [InlineData("header")]
    [InlineData("body")]
    [InlineData("deletion_hash")]
    [InlineData("expiry")]
    [InlineData("intro")]
    public void EachFieldOutsideItsLimitIsRefused(string field)
    {
        var envelope = Valid();
        switch (field)
        {
            case "version": envelope.Version = 2; break;
            case "address": envelope.Address = ByteString.CopyFrom(new byte[31]); break;
            case "header": envelope.Header = ByteString.CopyFrom(new byte[81]); break;
            case "body": envelope.Body = ByteString.CopyFrom(new byte[300]); break;
            case "deletion_hash": envelope.DeletionHash = ByteString.Empty; break;
            case "expiry": envelope.ExpiresUnixSeconds = 0; break;
            default: envelope.Intro = ByteString.CopyFrom(new byte[EnvelopeCodec.MaxIntroLength + 1]); break;
        }
        Assert.Throws<InvalidEnvelopeException>(() => EnvelopeCodec.Parse(envelope.ToByteArray()));
    }

    [Fact]
    public void OversizedInputIsRefusedBeforeParsing()
    {
        Assert.Throws<InvalidEnvelopeException>(() => EnvelopeCodec.Parse(new byte[EnvelopeCodec.MaxEncodedLength + 1]));
    }

    [Fact]
    public void SeededMutationsYieldOnlyCleanRefusalsOrValidEnvelopes()
    {
        var random = new Random(20261121);
        var original = EnvelopeCodec.Encode(Valid());
        var refused = 0;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = Mutate(original, random);
            try
            {
                var parsed = EnvelopeCodec.Parse(bytes);
                EnvelopeCodec.Validate(parsed);
            }
            catch (InvalidEnvelopeException)
            {
                refused++;
            }
        }
        Assert.InRange(refused, 1000, 5000);
        for (var i = 0; i < 1000; i++)
        {
            var garbage = new byte[random.Next(0, 400)];
            random.NextBytes(garbage);
            try
            {
                EnvelopeCodec.Parse(garbage);
            }
            catch (InvalidEnvelopeException)
            {
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                for (var j = random.Next(1, 8); j > 0; j--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                return bytes;
            default:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
        }
    }
}
