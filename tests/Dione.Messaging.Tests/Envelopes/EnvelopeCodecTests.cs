using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Tests.Sessions;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Envelopes;

public class EnvelopeCodecTests
{
    private static DioneEnvelope Valid() => EnvelopeCodec.Create(
        new byte[32], new byte[EnvelopeCodec.EncryptedHeaderLength], new byte[256 + 16], TestSessions.Epoch, new byte[32]);

    [Fact]
    public void Encode_then_parse_round_trips()
    {
        var envelope = Valid();
        var parsed = EnvelopeCodec.Parse(EnvelopeCodec.Encode(envelope));
        Assert.Equal(envelope, parsed);
        Assert.Equal(2u, parsed.Version);
        Assert.Equal((ulong)TestSessions.Epoch.ToUnixTimeSeconds(), parsed.ExpiresUnixSeconds);
    }

    [Fact]
    public void The_wire_bytes_are_fixed_by_field_numbers_alone()
    {
        // Written from the protobuf encoding rules and the field numbers of docs/protocol.md, not by the codec: the
        // message's name (DioneEnvelope, once Envelope) is not on the wire, so renaming it changed no byte.
        var expected = Convert.FromHexString(
            "0802"
            + "1220" + string.Concat(Enumerable.Repeat("11", 32))
            + "1a50" + string.Concat(Enumerable.Repeat("22", 80))
            + "229002" + string.Concat(Enumerable.Repeat("33", 272))
            + "2880f2d6ca06"
            + "3220" + string.Concat(Enumerable.Repeat("44", 32)));
        var envelope = EnvelopeCodec.Create(
            Filled(32, 0x11), Filled(80, 0x22), Filled(256 + 16, 0x33), TestSessions.Epoch, Filled(32, 0x44));

        Assert.Equal(expected, EnvelopeCodec.Encode(envelope));
        Assert.Equal(envelope, EnvelopeCodec.Parse(expected));
    }

    [Fact]
    public void A_version_1_envelope_with_an_intro_is_refused_as_an_older_version()
    {
        // Version 1 let the initiator's envelopes repeat the sealed intro until the first reply (docs/protocol.md §8.1.1).
        var envelope = Valid();
        envelope.Version = 1;
        envelope.Intro = ByteString.CopyFrom([1, 2, 3]);

        Assert.Equal(1u, Assert.Throws<UnsupportedEnvelopeVersionException>(() => EnvelopeCodec.Parse(envelope.ToByteArray())).Version);
    }

    [Fact]
    public void Another_version_is_refused_with_its_own_type_naming_the_version()
    {
        var envelope = Valid();
        envelope.Version = 7;

        var refused = Assert.Throws<UnsupportedEnvelopeVersionException>(() => EnvelopeCodec.Parse(envelope.ToByteArray()));

        Assert.Equal(7u, refused.Version);
        Assert.Equal(new byte[32], refused.Address);
        Assert.Contains("version 7", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_envelope_fits_the_encoded_limit()
    {
        var envelope = EnvelopeCodec.Create(new byte[32], new byte[80], new byte[65536 + 16], DateTimeOffset.MaxValue, new byte[32]);
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
    public void Each_field_outside_its_limit_is_refused(string field)
    {
        var envelope = Valid();
        switch (field)
        {
            case "version": envelope.Version = 1; break;
            case "address": envelope.Address = ByteString.CopyFrom(new byte[31]); break;
            case "header": envelope.Header = ByteString.CopyFrom(new byte[81]); break;
            case "body": envelope.Body = ByteString.CopyFrom(new byte[300]); break;
            case "deletion_hash": envelope.DeletionHash = ByteString.Empty; break;
            case "expiry": envelope.ExpiresUnixSeconds = 0; break;
            default: envelope.Intro = ByteString.CopyFrom([1]); break;
        }
        Assert.ThrowsAny<InvalidEnvelopeException>(() => EnvelopeCodec.Parse(envelope.ToByteArray()));
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        Assert.Throws<InvalidEnvelopeException>(() => EnvelopeCodec.Parse(new byte[EnvelopeCodec.MaxEncodedLength + 1]));
    }

    [Fact]
    public void Seeded_mutations_yield_only_clean_refusals_or_valid_envelopes()
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

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
