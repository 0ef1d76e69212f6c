using System.Security.Cryptography;
using System.Text;
using Dione.Libp2p.Identity;
using Google.Protobuf;

namespace Dione.Libp2p.Noise;

/// <summary>
/// Builds and checks the libp2p <c>NoiseHandshakePayload</c> (specs/noise, "The libp2p Handshake Payload"): the
/// identity key, its signature over <c>"noise-libp2p-static-key:" ‖ Noise static key</c>, and the extensions.
/// </summary>
internal static class NoiseHandshakePayloadCodec
{
    public const string SignaturePrefix = "noise-libp2p-static-key:";

    /// <summary>A remote muxer list longer than this is ignored (as go-libp2p does), so no muxer is agreed early.</summary>
    public const int MaxStreamMuxers = 100;

    /// <summary>The bytes the identity key signs: the prefix followed by the 32-byte X25519 static public key.</summary>
    public static byte[] SignedData(ReadOnlySpan<byte> staticPublicKey)
    {
        var prefixLength = Encoding.ASCII.GetByteCount(SignaturePrefix);
        var data = new byte[prefixLength + staticPublicKey.Length];
        Encoding.ASCII.GetBytes(SignaturePrefix, data);
        staticPublicKey.CopyTo(data.AsSpan(prefixLength));
        return data;
    }

    /// <summary>Our payload: identity key, signature of <paramref name="staticPublicKey"/>, and our muxers when any.</summary>
    public static byte[] Create(PrivateKey identity, ReadOnlySpan<byte> staticPublicKey, IReadOnlyList<string> streamMuxers)
    {
        var payload = new Protos.NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(identity.PublicKey.ToProtobuf()),
            IdentitySig = ByteString.CopyFrom(identity.Sign(SignedData(staticPublicKey))),
        };
        if (streamMuxers.Count > 0)
        {
            payload.Extensions = new Protos.NoiseExtensions();
            payload.Extensions.StreamMuxers.AddRange(streamMuxers);
        }
        return payload.ToByteArray();
    }

    /// <summary>Parses a payload and decodes its identity key, without checking the signature.</summary>
    /// <exception cref="NoiseHandshakeException">Malformed protobuf, missing field, or an unusable key.</exception>
    public static (PublicKey Key, byte[] Signature, IReadOnlyList<string> StreamMuxers) Decode(ReadOnlySpan<byte> payload)
    {
        Protos.NoiseHandshakePayload message;
        try
        {
            message = Protos.NoiseHandshakePayload.Parser.ParseFrom(payload);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException)
        {
            throw new NoiseHandshakeException("malformed Noise handshake payload", e);
        }
        if (!message.HasIdentityKey || !message.HasIdentitySig)
        {
            throw new NoiseHandshakeException("Noise handshake payload lacks the identity key or signature");
        }
        PublicKey key;
        try
        {
            key = PublicKey.FromProtobuf(message.IdentityKey.Span);
        }
        catch (Exception e) when (IsKeyFailure(e))
        {
            throw new NoiseHandshakeException("Noise handshake payload carries an unusable identity key", e);
        }
        var muxers = message.Extensions?.StreamMuxers is { Count: > 0 and <= MaxStreamMuxers } offered
            ? offered.ToArray()
            : [];
        return (key, message.IdentitySig.ToByteArray(), muxers);
    }

    /// <summary>Decodes the payload, verifies the signature over <paramref name="remoteStaticKey"/>, and checks the
    /// peer id against <paramref name="expectedPeer"/> when given.</summary>
    /// <exception cref="NoiseHandshakeException">Any check failed.</exception>
    public static NoiseRemoteIdentity Authenticate(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> remoteStaticKey, PeerId? expectedPeer)
    {
        var (key, signature, muxers) = Decode(payload);
        var peerId = PeerId.FromPublicKey(key);
        if (expectedPeer is not null && peerId != expectedPeer)
        {
            throw new NoiseHandshakeException($"remote peer is {peerId}, expected {expectedPeer}");
        }
        bool valid;
        try
        {
            valid = key.Verify(SignedData(remoteStaticKey), signature);
        }
        catch (Exception e) when (IsKeyFailure(e))
        {
            throw new NoiseHandshakeException("Noise handshake signature could not be checked", e);
        }
        if (!valid)
        {
            throw new NoiseHandshakeException("Noise handshake payload signature is invalid");
        }
        return new NoiseRemoteIdentity(key, peerId, muxers);
    }

    private static bool IsKeyFailure(Exception e) =>
        e is FormatException or NotSupportedException or ArgumentException or CryptographicException;
}
