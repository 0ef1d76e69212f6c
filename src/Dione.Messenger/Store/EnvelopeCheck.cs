using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messenger.Protos;
using Google.Protobuf;
using Status = Dione.Messenger.Protos.StoreResponse.Types.Status;

namespace Dione.Messenger.Store;

/// <summary>The rules an envelope must meet before a node stores it for someone else.</summary>
public static class EnvelopeCheck
{
    /// <summary>The only envelope version this node knows: the messaging wire format's.</summary>
    public const uint SupportedVersion = EnvelopeCodec.Version;

    public const int AddressLength = 32;

    public const int DeletionHashLength = 32;

    /// <summary>
    /// Longest DELETE token accepted (the messenger's are 32 bytes): a holder keeps the token of each deletion in a
    /// tombstone, so its size must be bounded however long a preimage the envelope's author chose.
    /// </summary>
    public const int MaxDeletionTokenLength = 64;

    /// <summary>Parses <paramref name="bytes"/> and checks size, version, field lengths and expiry against <paramref name="now"/>.</summary>
    /// <returns>The parsed envelope, or null with <paramref name="refusal"/> set.</returns>
    public static DioneEnvelope? Check(ReadOnlySpan<byte> bytes, EnvelopeStoreOptions options, DateTimeOffset now, out StoreOutcome refusal)
    {
        refusal = StoreOutcome.Ok;
        if (bytes.Length > options.MaxEnvelopeBytes)
        {
            refusal = StoreOutcome.Refused(Status.TooLarge, $"envelope of {bytes.Length} bytes exceeds {options.MaxEnvelopeBytes}");
            return null;
        }
        DioneEnvelope envelope;
        try
        {
            envelope = DioneEnvelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            refusal = StoreOutcome.Refused(Status.BadRequest, $"not an envelope: {e.Message}");
            return null;
        }
        if (envelope.Version != SupportedVersion)
        {
            refusal = StoreOutcome.Refused(Status.UnsupportedVersion, $"envelope version {envelope.Version} is not {SupportedVersion}");
            return null;
        }
        if (envelope.Address.Length != AddressLength)
        {
            refusal = StoreOutcome.Refused(Status.BadRequest, $"address must be {AddressLength} bytes, not {envelope.Address.Length}");
            return null;
        }
        if (envelope.DeletionHash.Length != DeletionHashLength)
        {
            refusal = StoreOutcome.Refused(Status.BadRequest, $"deletion hash must be {DeletionHashLength} bytes, not {envelope.DeletionHash.Length}");
            return null;
        }
        if (envelope.Body.IsEmpty)
        {
            refusal = StoreOutcome.Refused(Status.BadRequest, "envelope has no body");
            return null;
        }
        var nowSeconds = (ulong)now.ToUnixTimeSeconds();
        if (envelope.ExpiresUnixSeconds <= nowSeconds)
        {
            refusal = StoreOutcome.Refused(Status.Expired, "envelope has already expired");
            return null;
        }
        var latest = nowSeconds + (ulong)(options.MaxLifetime + options.ClockSkew).TotalSeconds;
        if (envelope.ExpiresUnixSeconds > latest)
        {
            refusal = StoreOutcome.Refused(Status.Expired, $"envelope expires later than this node keeps envelopes ({options.MaxLifetime.TotalDays:0.#} days)");
            return null;
        }
        return envelope;
    }
}
