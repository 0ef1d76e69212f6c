using System.Security.Cryptography;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Google.Protobuf;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>Well-formed envelopes with random contents, and their deletion tokens.</summary>
internal static class TestEnvelopes
{
    public static (DioneEnvelope Envelope, byte[] Token) Create(DateTimeOffset now, TimeSpan? lifetime = null, int bodyBytes = 256, byte[]? address = null)
    {
        var token = RandomNumberGenerator.GetBytes(32);
        var envelope = new DioneEnvelope
        {
            Version = EnvelopeCodec.Version,
            Address = ByteString.CopyFrom(address ?? RandomNumberGenerator.GetBytes(32)),
            Header = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(64)),
            Body = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(bodyBytes)),
            ExpiresUnixSeconds = (ulong)(now + (lifetime ?? TimeSpan.FromDays(1))).ToUnixTimeSeconds(),
            DeletionHash = ByteString.CopyFrom(SHA256.HashData(token)),
        };
        return (envelope, token);
    }

    public static byte[] Bytes(DateTimeOffset now, TimeSpan? lifetime = null, int bodyBytes = 256) =>
        Create(now, lifetime, bodyBytes).Envelope.ToByteArray();
}
