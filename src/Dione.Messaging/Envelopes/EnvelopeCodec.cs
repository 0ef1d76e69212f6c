using Dione.Messaging.Addressing;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Google.Protobuf;

namespace Dione.Messaging.Envelopes;

/// <summary>
/// Builds, encodes and parses version-2 ratchet <see cref="DioneEnvelope"/>s, and checks every field's size: a 32-byte
/// address, an 80-byte encrypted header, a body of one padding bucket plus a 16-byte tag, a 32-byte deletion hash, a
/// non-zero expiry, no intro, and at most <see cref="MaxEncodedLength"/> bytes in all. (An intro travels only in the
/// carrier that wraps a session's first envelope, which is not a ratchet envelope: docs/protocol.md §14.2.)
/// </summary>
public static class EnvelopeCodec
{
    /// <summary>
    /// The messaging wire format this code writes and reads (field 1 of every envelope, in every version): envelopes
    /// of any other version are refused with <see cref="UnsupportedEnvelopeVersionException"/> before anything else
    /// is read, so a node never spends ratchet state on a format it does not know. Version 1 let every envelope of
    /// the initiator carry the sealed intro until the first reply; version 2 allows it only in the intro carrier.
    /// </summary>
    public const uint Version = 2;

    /// <summary>Length of the encrypted header.</summary>
    public const int EncryptedHeaderLength = HeaderCipher.EncryptedLength;

    /// <summary>The AEAD tag length at the end of the body.</summary>
    public const int BodyTagLength = BodyCipher.TagLength;

    /// <summary>The largest intro (sealed X3DH initial data) an intro carrier may hold.</summary>
    public const int MaxIntroLength = 2048;

    /// <summary>
    /// The largest encoded envelope accepted: the largest body and header, plus room for an intro and field overhead
    /// (the same bound as version 1's, which the stores' size limit is derived from).
    /// </summary>
    public const int MaxEncodedLength = PaddingBuckets.MaxPlaintextLength + BodyTagLength + EncryptedHeaderLength + MaxIntroLength + 256;

    /// <summary>A ratchet envelope of the current version from its parts (validated).</summary>
    public static DioneEnvelope Create(
        ReadOnlySpan<byte> address,
        ReadOnlySpan<byte> encryptedHeader,
        ReadOnlySpan<byte> body,
        DateTimeOffset expiresAt,
        ReadOnlySpan<byte> deletionHash)
    {
        var envelope = new DioneEnvelope
        {
            Version = Version,
            Address = ByteString.CopyFrom(address),
            Header = ByteString.CopyFrom(encryptedHeader),
            Body = ByteString.CopyFrom(body),
            ExpiresUnixSeconds = (ulong)Math.Max(1, expiresAt.ToUnixTimeSeconds()),
            DeletionHash = ByteString.CopyFrom(deletionHash),
        };
        Validate(envelope);
        return envelope;
    }

    /// <summary>The envelope's protobuf encoding.</summary>
    public static byte[] Encode(DioneEnvelope envelope)
    {
        Validate(envelope);
        return envelope.ToByteArray();
    }

    /// <summary>Parses and validates an encoded envelope.</summary>
    /// <exception cref="UnsupportedEnvelopeVersionException">the envelope is of another wire-format version.</exception>
    /// <exception cref="InvalidEnvelopeException">oversized, not protobuf, or a field out of its limits.</exception>
    public static DioneEnvelope Parse(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new InvalidEnvelopeException($"an envelope is at most {MaxEncodedLength} bytes, this one has {encoded.Length}");
        }
        DioneEnvelope envelope;
        try
        {
            envelope = DioneEnvelope.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidEnvelopeException("the envelope is not valid protobuf", e);
        }
        Validate(envelope);
        return envelope;
    }

    /// <summary>Checks the version and every field's size.</summary>
    /// <exception cref="UnsupportedEnvelopeVersionException">the envelope is of another wire-format version.</exception>
    /// <exception cref="InvalidEnvelopeException">a field out of its limits.</exception>
    public static void Validate(DioneEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Version != Version)
        {
            throw new UnsupportedEnvelopeVersionException(envelope.Version, envelope.Address.ToByteArray());
        }
        if (envelope.Address.Length != AddressChain.AddressLength)
        {
            throw new InvalidEnvelopeException("the address is not 32 bytes");
        }
        if (envelope.Header.Length != EncryptedHeaderLength)
        {
            throw new InvalidEnvelopeException($"the encrypted header is not {EncryptedHeaderLength} bytes");
        }
        if (envelope.Body.Length < BodyTagLength || !PaddingBuckets.IsBucket(envelope.Body.Length - BodyTagLength))
        {
            throw new InvalidEnvelopeException("the body is not a padding bucket plus its tag");
        }
        if (envelope.DeletionHash.Length != DeletionTokens.Length)
        {
            throw new InvalidEnvelopeException("the deletion hash is not 32 bytes");
        }
        if (envelope.ExpiresUnixSeconds == 0)
        {
            throw new InvalidEnvelopeException("the envelope has no expiry");
        }
        if (!envelope.Intro.IsEmpty)
        {
            // The same sealed intro in several envelopes would link them to each other and to the carrier.
            throw new InvalidEnvelopeException("a ratchet envelope carries no intro (only an intro carrier does)");
        }
        if (envelope.CalculateSize() > MaxEncodedLength)
        {
            throw new InvalidEnvelopeException($"the envelope is longer than {MaxEncodedLength} bytes");
        }
    }
}
