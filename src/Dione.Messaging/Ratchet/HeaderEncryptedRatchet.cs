using System.Security.Cryptography;
using Dione.Messaging.Addressing;
using Dione.Messaging.Crypto;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Ratchet;

/// <summary>
/// The header-encrypted Double Ratchet (Signal's spec §4) with Dione's mailbox-address chains. Each sending chain has a
/// header key and an address chain next to its chain key; the receiver watches a window of addresses in its current
/// receiving chain and in the peer's next chain (whose header key NHKr and address seed NAKr it already holds), plus the
/// addresses of skipped messages. An envelope is looked up by its address, which says which key to try: a skipped key,
/// HKr (current chain) or NHKr (next chain, which triggers the DH step). Opening is all-or-nothing: on any failure the
/// state is left as it was.
/// </summary>
internal sealed class HeaderEncryptedRatchet
{
    private readonly SkippedKeyStore _skipped;
    private AddressWindow? _currentWindow;
    private AddressWindow? _nextWindow;
    private AddressWindow? _currentReach;
    private AddressWindow? _nextReach;

    internal HeaderEncryptedRatchet(
        SessionOptions options,
        byte[] associatedData,
        byte[] rootKey,
        X25519KeyPair dhSending,
        byte[]? remoteDhPublicKey,
        ChainState? sending,
        uint previousSendingCount,
        ChainState? receiving,
        NextChainKeys nextSending,
        NextChainKeys nextReceiving,
        SkippedKeyStore skipped)
    {
        Options = options;
        AssociatedData = associatedData;
        RootKey = rootKey;
        DhSending = dhSending;
        RemoteDhPublicKey = remoteDhPublicKey;
        Sending = sending;
        PreviousSendingCount = previousSendingCount;
        Receiving = receiving;
        NextSending = nextSending;
        NextReceiving = nextReceiving;
        _skipped = skipped;
    }

    public SessionOptions Options { get; }
    public byte[] AssociatedData { get; }
    public byte[] RootKey { get; private set; }
    public X25519KeyPair DhSending { get; private set; }
    public byte[]? RemoteDhPublicKey { get; private set; }
    public ChainState? Sending { get; private set; }
    public uint PreviousSendingCount { get; private set; }
    public ChainState? Receiving { get; private set; }
    public NextChainKeys NextSending { get; private set; }
    public NextChainKeys NextReceiving { get; private set; }
    public IEnumerable<SkippedMessageKey> Skipped => _skipped.Entries;
    public int SkippedCount => _skipped.Count;

    /// <summary>RatchetInitAliceHE, plus the address seeds of the first two chains.</summary>
    public static HeaderEncryptedRatchet InitializeAsInitiator(X3dhSecrets secrets, ReadOnlySpan<byte> bobRatchetPublicKey, SessionOptions options)
    {
        RequireSecrets(secrets);
        var dh = X25519KeyPair.Generate();
        var step = RatchetKdf.RootStep(secrets.RootKey, dh.Agree(bobRatchetPublicKey), options.RatchetInfo);
        var (initiatorSeed, responderSeed) = AddressChain.InitialSeeds(secrets.RootKey);
        return new HeaderEncryptedRatchet(
            options,
            (byte[])secrets.AssociatedData.Clone(),
            step.RootKey,
            dh,
            bobRatchetPublicKey.ToArray(),
            new ChainState((byte[])secrets.SharedHeaderKey.Clone(), step.ChainKey, initiatorSeed, 0),
            0,
            null,
            new NextChainKeys(step.NextHeaderKey, step.NextAddressKey),
            new NextChainKeys((byte[])secrets.SharedNextHeaderKey.Clone(), responderSeed),
            new SkippedKeyStore());
    }

    /// <summary>RatchetInitBobHE, plus the address seeds of the first two chains.</summary>
    public static HeaderEncryptedRatchet InitializeAsResponder(X3dhSecrets secrets, X25519KeyPair bobRatchetKeyPair, SessionOptions options)
    {
        RequireSecrets(secrets);
        var (initiatorSeed, responderSeed) = AddressChain.InitialSeeds(secrets.RootKey);
        return new HeaderEncryptedRatchet(
            options,
            (byte[])secrets.AssociatedData.Clone(),
            (byte[])secrets.RootKey.Clone(),
            bobRatchetKeyPair,
            null,
            null,
            0,
            null,
            new NextChainKeys((byte[])secrets.SharedNextHeaderKey.Clone(), responderSeed),
            new NextChainKeys((byte[])secrets.SharedHeaderKey.Clone(), initiatorSeed),
            new SkippedKeyStore());
    }

    /// <summary>Whether this side can send (the responder can only after the first message has arrived).</summary>
    public bool CanSend => Sending is not null;

    /// <summary>RatchetEncryptHE: one chain step, the message's address, the encrypted header and the padded, encrypted body.</summary>
    public RatchetMessage Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var chain = Sending ?? throw new InvalidOperationException("the responder can send only after the first message has been opened");
        if (chain.Number == uint.MaxValue)
        {
            throw new InvalidOperationException("the sending chain is exhausted");
        }
        var padded = PaddingBuckets.Pad(plaintext);
        var step = RatchetKdf.ChainStep(chain.ChainKey);
        var address = AddressChain.Address(chain.AddressKey);
        var header = new RatchetHeader
        {
            Dh = Google.Protobuf.ByteString.CopyFrom(DhSending.PublicKey),
            Pn = PreviousSendingCount,
            N = chain.Number,
            BodyLength = (uint)plaintext.Length,
        };
        var encryptedHeader = HeaderCipher.Encrypt(chain.HeaderKey, address, header);
        var keys = RatchetKdf.ExpandMessageKey(step.MessageKey);
        var body = BodyCipher.Encrypt(keys, padded, BodyAssociatedData(encryptedHeader));
        Sending = new ChainState(chain.HeaderKey, step.NextChainKey, AddressChain.NextKey(chain.AddressKey), chain.Number + 1);
        CryptographicOperations.ZeroMemory(step.MessageKey);
        return new RatchetMessage(address, encryptedHeader, body, keys.DeletionToken, chain.Number);
    }

    /// <summary>Every address the receiver should watch: skipped messages (oldest first), the current chain's window, the next chain's window.</summary>
    public IReadOnlyList<byte[]> PendingAddresses()
    {
        EnsureWindows();
        var all = new List<byte[]>(_skipped.Count + _currentWindow!.Count + _nextWindow!.Count);
        foreach (var entry in _skipped.Entries)
        {
            all.Add(entry.Address.ToArray());
        }
        all.AddRange(_currentWindow.Addresses.Select(a => a.ToArray()));
        all.AddRange(_nextWindow.Addresses.Select(a => a.ToArray()));
        return all;
    }

    /// <summary>
    /// Whether <paramref name="address"/> is pending (a skipped message or in a window), or with
    /// <paramref name="includeReach"/> anywhere an envelope could still open (up to MAX_SKIP ahead); and where it points.
    /// </summary>
    public bool TryFindPending(ReadOnlySpan<byte> address, bool includeReach, out PendingKind kind, out uint number)
    {
        EnsureWindows();
        var key = MailboxAddress.From(address);
        if (_skipped.TryGet(key, out var entry))
        {
            (kind, number) = (PendingKind.Skipped, entry.Number);
            return true;
        }
        var found = TryFindIn(_currentWindow!, _nextWindow!, key, out kind, out number);
        if (found || !includeReach)
        {
            return found;
        }
        // Grown in doublings, so finding an envelope p addresses ahead costs in proportion to p, not to MAX_SKIP.
        for (var size = 2 * Options.AddressWindow; ; size *= 2)
        {
            EnsureReach(size);
            found = TryFindIn(_currentReach!, _nextReach!, key, out kind, out number);
            if (found || size >= ReachLength)
            {
                return found;
            }
        }
    }

    /// <summary>Looks <paramref name="key"/> up in a current-chain and a next-chain window (or reach).</summary>
    private static bool TryFindIn(AddressWindow current, AddressWindow next, MailboxAddress key, out PendingKind kind, out uint number)
    {
        if (current.TryGetValue(key, out number))
        {
            kind = PendingKind.CurrentChain;
            return true;
        }
        if (next.TryGetValue(key, out number))
        {
            kind = PendingKind.NextChain;
            return true;
        }
        kind = default;
        return false;
    }

    /// <summary>
    /// Up to <paramref name="count"/> addresses just beyond each window (current chain, then the peer's next chain),
    /// never further than MAX_SKIP: what a receiver probes when the window has found nothing for long, to get past a run
    /// of at least W lost envelopes without waiting for the peer's next DH step. Envelopes there open like any other.
    /// </summary>
    public IReadOnlyList<byte[]> RecoveryAddresses(int count) => [.. RecoveryAddressesPerChain(count).SelectMany(chain => chain)];

    /// <summary>
    /// <see cref="RecoveryAddresses"/> per chain: [0] the current chain's, [1] the peer's next chain's, each in chain
    /// order. Computes only the addresses it returns (and the windows before them), not the whole reach.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<byte[]>> RecoveryAddressesPerChain(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [[], []];
        }
        EnsureReach((int)Math.Min((long)Options.AddressWindow + count, ReachLength));
        return [.. new[] { _currentReach!, _nextReach! }.Select(reach => (IReadOnlyList<byte[]>)[.. reach.Addresses.Take(count).Select(a => a.ToArray())])];
    }

    /// <summary>How many addresses this state's windows and reach have computed (two HMACs each): what listing and finding addresses cost.</summary>
    public long AddressesComputed =>
        (_currentWindow?.Computed ?? 0) + (_nextWindow?.Computed ?? 0) + (_currentReach?.Computed ?? 0) + (_nextReach?.Computed ?? 0);

    /// <summary>Drops skipped keys (and their addresses) whose lifetime has passed; returns how many.</summary>
    public int ExpireSkipped(long nowUnixSeconds) => _skipped.Expire(nowUnixSeconds);

    /// <summary>RatchetDecryptHE, steered by the address; all-or-nothing.</summary>
    /// <param name="deletionHash">The envelope's deletion hash; it must be SHA-256 of the message's token, checked before anything is committed.</param>
    public RatchetPlaintext Decrypt(
        ReadOnlySpan<byte> address, ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> body, ReadOnlySpan<byte> deletionHash, long nowUnixSeconds)
    {
        if (address.Length != AddressChain.AddressLength)
        {
            throw new AddressNotPendingException("an address is 32 bytes");
        }
        ExpireSkipped(nowUnixSeconds);
        if (!TryFindPending(address, includeReach: true, out var kind, out var number))
        {
            throw new AddressNotPendingException("the address is not pending in this session (already opened, expired, or never expected)");
        }
        return kind switch
        {
            PendingKind.Skipped => OpenSkipped(address, encryptedHeader, body, deletionHash),
            PendingKind.CurrentChain => OpenInCurrentChain(number, address, encryptedHeader, body, deletionHash, nowUnixSeconds),
            _ => OpenInNextChain(number, address, encryptedHeader, body, deletionHash, nowUnixSeconds),
        };
    }

    private RatchetPlaintext OpenSkipped(ReadOnlySpan<byte> address, ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> body, ReadOnlySpan<byte> deletionHash)
    {
        _skipped.TryGet(MailboxAddress.From(address), out var entry);
        var header = HeaderCipher.TryDecrypt(entry.HeaderKey, address, encryptedHeader)
            ?? throw new MessageAuthenticationException("the header failed authentication under the skipped message's header key");
        RequireNumber(header, entry.Number);
        var plaintext = OpenBody(header, entry.MessageKey, encryptedHeader, body, deletionHash);
        _skipped.Remove(entry);
        return plaintext;
    }

    private RatchetPlaintext OpenInCurrentChain(uint number, ReadOnlySpan<byte> address, ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> body, ReadOnlySpan<byte> deletionHash, long now)
    {
        var chain = Receiving!;
        var header = HeaderCipher.TryDecrypt(chain.HeaderKey, address, encryptedHeader)
            ?? throw new MessageAuthenticationException("the header failed authentication under HKr");
        RequireNumber(header, number);
        if (!header.Dh.Span.SequenceEqual(RemoteDhPublicKey))
        {
            throw new MessageAuthenticationException("the header's ratchet key is not the current chain's");
        }
        var skipped = new List<SkippedMessageKey>();
        var (messageKey, after) = Advance(chain, number, skipped, now);
        var plaintext = OpenBody(header, messageKey, encryptedHeader, body, deletionHash);
        Receiving = after;
        CommitSkipped(skipped);
        _currentWindow?.SlideTo(after.Number, after.AddressKey);
        _currentReach = null;
        return plaintext;
    }

    private RatchetPlaintext OpenInNextChain(uint number, ReadOnlySpan<byte> address, ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> body, ReadOnlySpan<byte> deletionHash, long now)
    {
        var header = HeaderCipher.TryDecrypt(NextReceiving.HeaderKey, address, encryptedHeader)
            ?? throw new MessageAuthenticationException("the header failed authentication under NHKr");
        RequireNumber(header, number);
        if (header.Dh.Length != X25519KeyPair.KeyLength)
        {
            throw new MessageAuthenticationException("the header's ratchet key is not 32 bytes");
        }
        var skipped = new List<SkippedMessageKey>();
        if (Receiving is { } current)
        {
            if (header.Pn < current.Number)
            {
                throw new MessageAuthenticationException("the header's previous-chain count is below messages already received");
            }
            SkipUntil(current, header.Pn, skipped, now);
        }

        // DHRatchetHE, computed into locals and committed only once the body has verified.
        var remote = header.Dh.ToByteArray();
        byte[] received;
        byte[] sent;
        X25519KeyPair newDh;
        try
        {
            received = DhSending.Agree(remote);
            newDh = X25519KeyPair.Generate();
            sent = newDh.Agree(remote);
        }
        catch (CryptographicException e)
        {
            throw new MessageAuthenticationException("the header's ratchet key is unusable", e);
        }
        var receivingStep = RatchetKdf.RootStep(RootKey, received, Options.RatchetInfo);
        var sendingStep = RatchetKdf.RootStep(receivingStep.RootKey, sent, Options.RatchetInfo);
        var newReceiving = new ChainState(NextReceiving.HeaderKey, receivingStep.ChainKey, NextReceiving.AddressKey, 0);
        var (messageKey, after) = Advance(newReceiving, number, skipped, now);
        var plaintext = OpenBody(header, messageKey, encryptedHeader, body, deletionHash);

        PreviousSendingCount = Sending?.Number ?? 0;
        Sending = new ChainState(NextSending.HeaderKey, sendingStep.ChainKey, NextSending.AddressKey, 0);
        Receiving = after;
        RemoteDhPublicKey = remote;
        DhSending = newDh;
        RootKey = sendingStep.RootKey;
        NextReceiving = new NextChainKeys(receivingStep.NextHeaderKey, receivingStep.NextAddressKey);
        NextSending = new NextChainKeys(sendingStep.NextHeaderKey, sendingStep.NextAddressKey);
        CommitSkipped(skipped);
        _currentWindow = null;
        _currentReach = null;
        _nextWindow = null;
        _nextReach = null;
        return plaintext;
    }

    /// <summary>
    /// SkipMessageKeysHE: steps <paramref name="chain"/> up to (not including) <paramref name="until"/>, putting each
    /// message key with its address into <paramref name="skipped"/>; returns the chain positioned at <paramref name="until"/>.
    /// </summary>
    private ChainState SkipUntil(ChainState chain, uint until, List<SkippedMessageKey> skipped, long now)
    {
        RequireWithinMaxSkip(chain.Number, until);
        var chainKey = chain.ChainKey;
        var addressKey = chain.AddressKey;
        var expires = ExpiryFrom(now);
        for (var n = chain.Number; n < until; n++)
        {
            var step = RatchetKdf.ChainStep(chainKey);
            skipped.Add(new SkippedMessageKey(chain.HeaderKey, n, step.MessageKey, MailboxAddress.From(AddressChain.Address(addressKey)), expires));
            chainKey = step.NextChainKey;
            addressKey = AddressChain.NextKey(addressKey);
        }
        return until > chain.Number ? new ChainState(chain.HeaderKey, chainKey, addressKey, until) : chain;
    }

    /// <summary>Skips up to <paramref name="target"/>, then takes its message key; returns the key and the chain positioned after it.</summary>
    private (byte[] MessageKey, ChainState After) Advance(ChainState chain, uint target, List<SkippedMessageKey> skipped, long now)
    {
        var at = SkipUntil(chain, target, skipped, now);
        var step = RatchetKdf.ChainStep(at.ChainKey);
        return (step.MessageKey, new ChainState(at.HeaderKey, step.NextChainKey, AddressChain.NextKey(at.AddressKey), target + 1));
    }

    private long ExpiryFrom(long now)
    {
        var lifetime = (long)Options.SkippedKeyLifetime.TotalSeconds;
        return now > long.MaxValue - lifetime ? long.MaxValue : now + lifetime;
    }

    private void RequireWithinMaxSkip(uint from, uint to)
    {
        if (to > from && to - from > (uint)Options.MaxSkip)
        {
            throw new TooManySkippedMessagesException($"opening this message would skip {to - from} message keys (MAX_SKIP is {Options.MaxSkip})");
        }
    }

    private static void RequireNumber(RatchetHeader header, uint expected)
    {
        if (header.N != expected)
        {
            throw new MessageAuthenticationException("the header's message number does not match the address it came under");
        }
    }

    private RatchetPlaintext OpenBody(
        RatchetHeader header, byte[] messageKey, ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> body, ReadOnlySpan<byte> deletionHash)
    {
        var keys = RatchetKdf.ExpandMessageKey(messageKey);
        var padded = BodyCipher.Decrypt(keys, body, BodyAssociatedData(encryptedHeader));
        if (!DeletionTokens.Matches(keys.DeletionToken, deletionHash))
        {
            throw new MessageAuthenticationException("the envelope's deletion hash is not SHA-256 of the message's deletion token");
        }
        if (header.BodyLength > PaddingBuckets.MaxPlaintextLength)
        {
            throw new MessageAuthenticationException("the header's body length is out of range");
        }
        try
        {
            return new RatchetPlaintext(PaddingBuckets.Unpad(padded, (int)header.BodyLength), keys.DeletionToken);
        }
        catch (FormatException e)
        {
            throw new MessageAuthenticationException("the body's padding is malformed", e);
        }
    }

    private byte[] BodyAssociatedData(ReadOnlySpan<byte> encryptedHeader)
    {
        var ad = new byte[AssociatedData.Length + encryptedHeader.Length];
        AssociatedData.CopyTo(ad, 0);
        encryptedHeader.CopyTo(ad.AsSpan(AssociatedData.Length));
        return ad;
    }

    private void CommitSkipped(List<SkippedMessageKey> skipped)
    {
        foreach (var entry in skipped)
        {
            _skipped.Add(entry, Options.MaxSkippedKeys);
        }
    }

    /// <summary>The most addresses a reach holds: a message at any of them opens within MAX_SKIP.</summary>
    private int ReachLength => Options.MaxSkip + 1;

    /// <summary>
    /// The reach: the addresses beyond each window at which a message could still open within MAX_SKIP, up to
    /// <paramref name="size"/> addresses from the window's start (at most <see cref="ReachLength"/>). Computed only when
    /// the window misses or look-ahead is asked for, only as far as asked, and continuing from the window's last
    /// address key rather than computing the window again.
    /// </summary>
    private void EnsureReach(int size)
    {
        EnsureWindows();
        var beyond = Math.Min(size, ReachLength) - Options.AddressWindow;
        _currentReach ??= _currentWindow!.Continuation(beyond);
        _nextReach ??= _nextWindow!.Continuation(beyond);
        _currentReach.GrowTo(beyond);
        _nextReach.GrowTo(beyond);
    }

    private void EnsureWindows()
    {
        _currentWindow ??= Receiving is { } chain ? new AddressWindow(chain.AddressKey, chain.Number, Options.AddressWindow) : AddressWindow.CreateEmpty();
        _nextWindow ??= new AddressWindow(NextReceiving.AddressKey, 0, Options.AddressWindow);
    }

    private static void RequireSecrets(X3dhSecrets secrets)
    {
        RatchetKdf.RequireKey(secrets.RootKey, nameof(secrets.RootKey));
        RatchetKdf.RequireKey(secrets.SharedHeaderKey, nameof(secrets.SharedHeaderKey));
        RatchetKdf.RequireKey(secrets.SharedNextHeaderKey, nameof(secrets.SharedNextHeaderKey));
        ArgumentNullException.ThrowIfNull(secrets.AssociatedData);
    }
}
