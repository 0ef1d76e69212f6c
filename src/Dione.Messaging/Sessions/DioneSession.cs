using Dione.Messaging.Crypto;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.Sessions;

/// <summary>
/// One end of a Dione conversation: the header-encrypted Double Ratchet with ratchet-derived mailbox addresses,
/// producing and opening <see cref="DioneEnvelope"/>s. Not thread-safe: one caller at a time. Every <see cref="Encrypt"/>
/// and successful <see cref="Open(DioneEnvelope, DateTimeOffset)"/> changes the state; persist <see cref="Serialize"/>
/// after each (before a sealed envelope leaves the node).
/// </summary>
public sealed class DioneSession
{
    private readonly HeaderEncryptedRatchet _ratchet;
    private byte[]? _intro;

    private DioneSession(HeaderEncryptedRatchet ratchet, byte[]? intro)
    {
        _ratchet = ratchet;
        _intro = intro;
    }

    /// <summary>The session's options (stored with its state).</summary>
    public SessionOptions Options => _ratchet.Options;

    /// <summary>Whether <see cref="Encrypt"/> can run: always for the initiator, for the responder once a message has been opened.</summary>
    public bool CanSend => _ratchet.CanSend;

    /// <summary>
    /// The initiator's sealed intro (X3DH initial data) until the session has opened a message from the peer (then
    /// cleared); null when none. It is never put into the envelopes <see cref="Encrypt"/> seals: the caller carries it
    /// to the peer once, in the first envelope's intro carrier (docs/protocol.md §14.2), because bytes repeated in
    /// several envelopes would link them. While it is set, the peer has not answered yet.
    /// </summary>
    public byte[]? PendingIntro => _intro is null ? null : (byte[])_intro.Clone();

    /// <summary>
    /// Every address to watch for incoming envelopes, as fresh copies: the addresses of skipped messages (oldest first),
    /// the next <see cref="SessionOptions.AddressWindow"/> addresses of the current receiving chain, and the first
    /// <see cref="SessionOptions.AddressWindow"/> addresses of the peer's next chain.
    /// </summary>
    public IReadOnlyList<byte[]> PendingAddresses => _ratchet.PendingAddresses();

    /// <summary>
    /// Recovery probing: up to <paramref name="count"/> addresses just beyond the current chain's window and beyond the
    /// next chain's window (never further than MAX_SKIP). Poll these only when <see cref="PendingAddresses"/> has found
    /// nothing for a long time: they get past a run of W or more lost envelopes without waiting for the peer's next DH step.
    /// </summary>
    public IReadOnlyList<byte[]> RecoveryAddresses(int count) => _ratchet.RecoveryAddresses(count);

    /// <summary>
    /// <see cref="RecoveryAddresses"/> per chain, each in chain order: [0] beyond the current chain's window, [1] beyond
    /// the peer's next chain's. The last of each is the furthest asked for: an envelope there says more may follow.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<byte[]>> RecoveryAddressesPerChain(int count) => _ratchet.RecoveryAddressesPerChain(count);

    /// <summary>
    /// The initiator's side after X3DH (RatchetInitAliceHE): <paramref name="bobRatchetPublicKey"/> is Bob's signed
    /// prekey. <paramref name="intro"/> (the sealed X3DH initial data, at most <see cref="EnvelopeCodec.MaxIntroLength"/>
    /// bytes) is kept as <see cref="PendingIntro"/> until Bob's first reply has been opened.
    /// </summary>
    public static DioneSession InitiateAsAlice(X3dhSecrets secrets, ReadOnlySpan<byte> bobRatchetPublicKey, SessionOptions? options = null, byte[]? intro = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        options ??= SessionOptions.Default;
        options.Validate();
        if (intro is { Length: > EnvelopeCodec.MaxIntroLength })
        {
            throw new ArgumentException($"an intro is at most {EnvelopeCodec.MaxIntroLength} bytes", nameof(intro));
        }
        var ratchet = HeaderEncryptedRatchet.InitializeAsInitiator(secrets, bobRatchetPublicKey, options);
        return new DioneSession(ratchet, intro is { Length: > 0 } ? (byte[])intro.Clone() : null);
    }

    /// <summary>The responder's side after X3DH (RatchetInitBobHE): <paramref name="bobRatchetKeyPair"/> is the signed prekey pair Alice used.</summary>
    public static DioneSession RespondAsBob(X3dhSecrets secrets, X25519KeyPair bobRatchetKeyPair, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(bobRatchetKeyPair);
        options ??= SessionOptions.Default;
        options.Validate();
        return new DioneSession(HeaderEncryptedRatchet.InitializeAsResponder(secrets, bobRatchetKeyPair, options), null);
    }

    /// <summary>Restores a session from <see cref="Serialize"/>'s bytes.</summary>
    /// <exception cref="InvalidSessionStateException">the bytes are not a state this code wrote.</exception>
    public static DioneSession Restore(ReadOnlySpan<byte> state)
    {
        var (ratchet, intro) = SessionStateCodec.FromBytes(state);
        return new DioneSession(ratchet, intro);
    }

    /// <summary>The complete state (secret keys included) as protobuf bytes.</summary>
    public byte[] Serialize() => SessionStateCodec.ToProto(_ratchet, _intro).ToByteArray();

    /// <summary>Encrypts <paramref name="plaintext"/> (at most 64 KiB) into an envelope at the message's mailbox address.</summary>
    /// <exception cref="InvalidOperationException">the responder has not opened a message yet.</exception>
    /// <exception cref="ArgumentOutOfRangeException">the plaintext is longer than <see cref="PaddingBuckets.MaxPlaintextLength"/>.</exception>
    public SealedMessage Encrypt(ReadOnlySpan<byte> plaintext, DateTimeOffset now)
    {
        if (plaintext.Length > PaddingBuckets.MaxPlaintextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintext), plaintext.Length, $"a message carries at most {PaddingBuckets.MaxPlaintextLength} bytes");
        }
        var message = _ratchet.Encrypt(plaintext);
        var expiresAt = now + Options.EnvelopeLifetime;
        var envelope = EnvelopeCodec.Create(
            message.Address,
            message.EncryptedHeader,
            message.Body,
            expiresAt,
            Addressing.DeletionTokens.Hash(message.DeletionToken));
        return new SealedMessage(envelope, message.Address, message.DeletionToken, DateTimeOffset.FromUnixTimeSeconds((long)envelope.ExpiresUnixSeconds));
    }

    /// <summary>Whether <paramref name="address"/> is one of <see cref="PendingAddresses"/>.</summary>
    public bool IsPending(ReadOnlySpan<byte> address) =>
        address.Length == Addressing.AddressChain.AddressLength && _ratchet.TryFindPending(address, includeReach: false, out _, out _);

    /// <summary>
    /// Opens an envelope found at one of the <see cref="PendingAddresses"/> (or <see cref="RecoveryAddresses"/>). First drops skipped keys that expired by
    /// <paramref name="now"/>. On success the message's key and address are deleted (a replay is then refused).
    /// </summary>
    /// <exception cref="InvalidEnvelopeException">the envelope is malformed.</exception>
    /// <exception cref="AddressNotPendingException">the address is not pending (replay, expired, or unknown).</exception>
    /// <exception cref="MessageAuthenticationException">header, body, or deletion hash failed authentication.</exception>
    /// <exception cref="TooManySkippedMessagesException">opening would skip more than MAX_SKIP keys in one chain.</exception>
    /// <remarks>Any of these leaves the state as it was (apart from expiry).</remarks>
    public OpenedMessage Open(DioneEnvelope envelope, DateTimeOffset now)
    {
        EnvelopeCodec.Validate(envelope);
        var address = envelope.Address.Span;
        var opened = _ratchet.Decrypt(address, envelope.Header.Span, envelope.Body.Span, envelope.DeletionHash.Span, now.ToUnixTimeSeconds());
        _intro = null;
        return new OpenedMessage(opened.Plaintext, address.ToArray(), opened.DeletionToken);
    }

    /// <summary>Parses an encoded envelope, then <see cref="Open(DioneEnvelope, DateTimeOffset)"/>.</summary>
    public OpenedMessage Open(ReadOnlySpan<byte> encodedEnvelope, DateTimeOffset now) => Open(EnvelopeCodec.Parse(encodedEnvelope), now);

    /// <summary>Drops skipped keys whose lifetime ended by <paramref name="now"/>, with their pending addresses; returns how many.</summary>
    public int ExpirePending(DateTimeOffset now) => _ratchet.ExpireSkipped(now.ToUnixTimeSeconds());

    internal HeaderEncryptedRatchet Ratchet => _ratchet;
}
