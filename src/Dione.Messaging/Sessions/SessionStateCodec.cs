using Dione.Messaging.Addressing;
using Dione.Messaging.Crypto;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.Sessions;

/// <summary>Converts a session's state to and from <see cref="RatchetSessionState"/>; every field is checked on the way in.</summary>
internal static class SessionStateCodec
{
    public const uint Format = 1;

    /// <summary>A generous upper bound: one million skipped keys at about 150 bytes each.</summary>
    public const int MaxEncodedLength = 160 * 1024 * 1024;

    public static RatchetSessionState ToProto(HeaderEncryptedRatchet ratchet, byte[]? intro)
    {
        var options = ratchet.Options;
        var state = new RatchetSessionState
        {
            Format = Format,
            Options = new RatchetSessionOptions
            {
                MaxSkip = (uint)options.MaxSkip,
                MaxSkippedKeys = (uint)options.MaxSkippedKeys,
                AddressWindow = (uint)options.AddressWindow,
                EnvelopeLifetimeSeconds = (long)options.EnvelopeLifetime.TotalSeconds,
                SkippedKeyLifetimeSeconds = (long)options.SkippedKeyLifetime.TotalSeconds,
                RatchetInfo = options.RatchetInfo,
            },
            AssociatedData = ByteString.CopyFrom(ratchet.AssociatedData),
            RootKey = ByteString.CopyFrom(ratchet.RootKey),
            DhPrivateKey = ByteString.CopyFrom(ratchet.DhSending.ExportPrivateKey()),
            RemoteDhPublicKey = ratchet.RemoteDhPublicKey is null ? ByteString.Empty : ByteString.CopyFrom(ratchet.RemoteDhPublicKey),
            PreviousSendingCount = ratchet.PreviousSendingCount,
            NextSendingHeaderKey = ByteString.CopyFrom(ratchet.NextSending.HeaderKey),
            NextSendingAddressKey = ByteString.CopyFrom(ratchet.NextSending.AddressKey),
            NextReceivingHeaderKey = ByteString.CopyFrom(ratchet.NextReceiving.HeaderKey),
            NextReceivingAddressKey = ByteString.CopyFrom(ratchet.NextReceiving.AddressKey),
            Intro = intro is null ? ByteString.Empty : ByteString.CopyFrom(intro),
        };
        if (ratchet.Sending is { } sending)
        {
            state.Sending = new RatchetSendingChainState
            {
                HeaderKey = ByteString.CopyFrom(sending.HeaderKey),
                ChainKey = ByteString.CopyFrom(sending.ChainKey),
                AddressKey = ByteString.CopyFrom(sending.AddressKey),
                Number = sending.Number,
            };
        }
        if (ratchet.Receiving is { } receiving)
        {
            state.Receiving = new RatchetReceivingChainState
            {
                HeaderKey = ByteString.CopyFrom(receiving.HeaderKey),
                ChainKey = ByteString.CopyFrom(receiving.ChainKey),
                AddressKey = ByteString.CopyFrom(receiving.AddressKey),
                Number = receiving.Number,
            };
        }
        foreach (var entry in ratchet.Skipped)
        {
            state.Skipped.Add(new RatchetSkippedKeyState
            {
                HeaderKey = ByteString.CopyFrom(entry.HeaderKey),
                Number = entry.Number,
                MessageKey = ByteString.CopyFrom(entry.MessageKey),
                Address = ByteString.CopyFrom(entry.Address.ToArray()),
                ExpiresUnixSeconds = entry.ExpiresUnixSeconds,
            });
        }
        return state;
    }

    /// <exception cref="InvalidSessionStateException">anything malformed.</exception>
    public static (HeaderEncryptedRatchet Ratchet, byte[]? Intro) FromBytes(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new InvalidSessionStateException("the session state is larger than any this code writes");
        }
        RatchetSessionState state;
        try
        {
            state = RatchetSessionState.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidSessionStateException("the session state is not valid protobuf", e);
        }
        try
        {
            return FromProto(state);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidSessionStateException($"the session state is malformed: {e.Message}", e);
        }
    }

    private static (HeaderEncryptedRatchet, byte[]?) FromProto(RatchetSessionState state)
    {
        if (state.Format != Format)
        {
            throw new InvalidSessionStateException($"session state format {state.Format} is not supported");
        }
        if (state.Options is null)
        {
            throw new InvalidSessionStateException("the session state has no options");
        }
        var options = new SessionOptions
        {
            MaxSkip = checked((int)Math.Min(state.Options.MaxSkip, int.MaxValue)),
            MaxSkippedKeys = checked((int)Math.Min(state.Options.MaxSkippedKeys, int.MaxValue)),
            AddressWindow = checked((int)Math.Min(state.Options.AddressWindow, int.MaxValue)),
            EnvelopeLifetime = Seconds(state.Options.EnvelopeLifetimeSeconds),
            SkippedKeyLifetime = Seconds(state.Options.SkippedKeyLifetimeSeconds),
            RatchetInfo = state.Options.RatchetInfo,
        };
        options.Validate();
        if (state.Skipped.Count > options.MaxSkippedKeys)
        {
            throw new InvalidSessionStateException("more skipped keys than the session's limit");
        }
        if (state.Intro.Length > EnvelopeCodec.MaxIntroLength)
        {
            throw new InvalidSessionStateException("the intro is longer than an envelope can carry");
        }
        var skipped = new SkippedKeyStore();
        foreach (var entry in state.Skipped)
        {
            skipped.Add(
                new SkippedMessageKey(Key(entry.HeaderKey), entry.Number, Key(entry.MessageKey), MailboxAddress.From(entry.Address.Span), entry.ExpiresUnixSeconds),
                options.MaxSkippedKeys);
        }
        var remote = state.RemoteDhPublicKey.IsEmpty ? null : Key(state.RemoteDhPublicKey);
        if (state.Receiving is not null && remote is null)
        {
            throw new InvalidSessionStateException("a receiving chain without the peer's ratchet key");
        }
        var ratchet = new HeaderEncryptedRatchet(
            options,
            state.AssociatedData.ToByteArray(),
            Key(state.RootKey),
            X25519KeyPair.FromPrivateKey(state.DhPrivateKey.Span),
            remote,
            state.Sending is null ? null : new ChainState(Key(state.Sending.HeaderKey), Key(state.Sending.ChainKey), Key(state.Sending.AddressKey), state.Sending.Number),
            state.PreviousSendingCount,
            state.Receiving is null
                ? null
                : new ChainState(Key(state.Receiving.HeaderKey), Key(state.Receiving.ChainKey), Key(state.Receiving.AddressKey), state.Receiving.Number),
            new NextChainKeys(Key(state.NextSendingHeaderKey), Key(state.NextSendingAddressKey)),
            new NextChainKeys(Key(state.NextReceivingHeaderKey), Key(state.NextReceivingAddressKey)),
            skipped);
        return (ratchet, state.Intro.IsEmpty ? null : state.Intro.ToByteArray());
    }

    private static byte[] Key(ByteString value)
    {
        if (value.Length != RatchetKdf.KeyLength)
        {
            throw new InvalidSessionStateException($"a key in the session state is {value.Length} bytes, not {RatchetKdf.KeyLength}");
        }
        return value.ToByteArray();
    }

    private static TimeSpan Seconds(long seconds) =>
        seconds is > 0 and <= 100L * 365 * 24 * 3600 ? TimeSpan.FromSeconds(seconds) : throw new InvalidSessionStateException("a lifetime is out of range");
}
