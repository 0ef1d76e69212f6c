using System.Security.Cryptography;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Dione.Messenger.Protos;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Conversations;

/// <summary>
/// A person's Dione messaging: their identity and prekeys, contacts, one ratchet session per contact, sending through
/// the outbox and receiving by polling the mailbox addresses every session expects.
/// </summary>
/// <remarks>
/// <para>Sending commits the advanced ratchet state together with the envelope (the outbox) before anything leaves the
/// node, then stores the envelope at the r holders of its address, and retries until r acknowledged it. Receiving
/// commits the advanced state together with the messages it opened. So a crash at any moment neither reuses a message
/// key nor loses an acknowledged message.</para>
/// <para>Calls are serialised: one send or poll at a time changes sessions.</para>
/// </remarks>
public sealed class DioneMessenger
{
    private const string LastIntroPollKey = "intro.last_poll";
    private const string PrekeySlotKey = "prekeys.slot";
    private const string PrekeyPublishedKey = "prekeys.published";

    private readonly MessengerDatabase _database;
    private readonly MailboxClient _mailbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DioneIdentity _identity;
    private readonly byte[] _identitySeed;
    private readonly IntroAddresses _intro;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PrekeyStore _prekeys;
    private bool _prekeysChanged;

    private DioneMessenger(
        MessengerDatabase database, MailboxClient mailbox, MessengerOptions options, TimeProvider time, ILogger logger, DioneIdentity identity, PrekeyStore prekeys)
    {
        _database = database;
        _mailbox = mailbox;
        Options = options;
        _time = time;
        _logger = logger;
        _identity = identity;
        _identitySeed = identity.ExportSeed();
        _prekeys = prekeys;
        _intro = new IntroAddresses(options.Intro);
    }

    public MessengerOptions Options { get; }

    /// <summary>This person's public identity.</summary>
    public IdentityKey Identity => _identity.PublicKey;

    /// <summary>The shareable Dione address of <see cref="Identity"/>.</summary>
    public string Address => DioneAddress.Format(Identity);

    /// <summary>Raised for every message received, after it was committed to the inbox.</summary>
    public event EventHandler<InboxEntry>? MessageReceived;

    /// <summary>Opens the messenger on <paramref name="database"/>, creating an identity and prekeys the first time.</summary>
    public static async Task<DioneMessenger> OpenAsync(
        MessengerDatabase database, MailboxClient mailbox, MessengerOptions? options = null, TimeProvider? time = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(mailbox);
        options ??= new MessengerOptions();
        time ??= TimeProvider.System;
        var (identity, prekeys) = await LoadOrCreateIdentityAsync(database, options, time, cancellationToken).ConfigureAwait(false);
        return new DioneMessenger(database, mailbox, options, time, logger ?? NullLogger.Instance, identity, prekeys);
    }

    /// <summary>
    /// The public identity stored in <paramref name="database"/>, creating it and its prekeys the first time exactly
    /// as <see cref="OpenAsync"/> would; for showing a person's address without a mailbox (no daemon running).
    /// </summary>
    public static async Task<IdentityKey> EnsureIdentityAsync(
        MessengerDatabase database, MessengerOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var (identity, _) = await LoadOrCreateIdentityAsync(database, options ?? new MessengerOptions(), time ?? TimeProvider.System, cancellationToken)
            .ConfigureAwait(false);
        return identity.PublicKey;
    }

    private static async Task<(DioneIdentity Identity, PrekeyStore Prekeys)> LoadOrCreateIdentityAsync(
        MessengerDatabase database, MessengerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await database.LoadIdentityAsync(cancellationToken).ConfigureAwait(false) is var (seed, stored))
        {
            return (DioneIdentity.FromSeed(seed), PrekeyStore.FromBytes(stored));
        }
        var identity = DioneIdentity.Generate();
        var prekeys = PrekeyStore.Create(identity, time.GetUtcNow());
        prekeys.GenerateOneTimePrekeys(identity, options.OneTimePrekeys);
        await database.SaveIdentityAsync(identity.ExportSeed(), prekeys.ToBytes(), cancellationToken).ConfigureAwait(false);
        return (identity, prekeys);
    }

    /// <summary>Adds a contact by name and Dione address.</summary>
    /// <exception cref="MessengerException">the name or address is unusable, or already a contact.</exception>
    public async Task AddContactAsync(string name, string address, CancellationToken cancellationToken = default)
    {
        ContactNames.Check(name);
        IdentityKey key;
        try
        {
            key = DioneAddress.Parse(address);
        }
        catch (FormatException e)
        {
            throw new MessengerException($"not a Dione address: {e.Message}", e);
        }
        if (key.Equals(Identity))
        {
            throw new MessengerException("that is your own address");
        }
        try
        {
            await _database.AddContactAsync(name, key.Ed25519PublicKey.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new MessengerException($"a contact named '{name}' or with this address already exists", e);
        }
    }

    /// <summary>Removes a contact and the session with it.</summary>
    /// <exception cref="MessengerException">no contact has that name.</exception>
    public async Task RemoveContactAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!await _database.RemoveContactAsync(name, cancellationToken).ConfigureAwait(false))
        {
            throw new MessengerException($"no contact named '{name}'");
        }
    }

    public Task<IReadOnlyList<ContactEntry>> ContactsAsync(CancellationToken cancellationToken = default) => _database.ContactsAsync(cancellationToken);

    /// <summary>
    /// Encrypts <paramref name="body"/> for <paramref name="contact"/> (starting a session from their published
    /// prekeys when there is none), commits it to the outbox, and tries once to store it at its holders.
    /// </summary>
    /// <returns>The outbox entry and how the first store attempt went.</returns>
    /// <exception cref="MessengerException">unknown contact, message too long, or no prekeys of theirs found.</exception>
    public async Task<SendResult> SendAsync(string contact, byte[] body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > Options.MaxMessageBytes)
        {
            throw new MessengerException($"a message has at most {Options.MaxMessageBytes} bytes, not {body.Length}");
        }
        long id;
        byte[] address;
        byte[] envelope;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = await _database.FindContactAsync(contact, cancellationToken).ConfigureAwait(false)
                ?? throw new MessengerException($"no contact named '{contact}' (add one with 'dione contact add NAME ADDRESS')");
            var now = _time.GetUtcNow();
            var state = await _database.LoadSessionAsync(contact, cancellationToken).ConfigureAwait(false);
            var session = state is null ? await StartSessionAsync(entry, now, cancellationToken).ConfigureAwait(false) : DioneSession.Restore(state);
            var content = new MessageContent
            {
                Sequence = (ulong)await _database.NextOutboxIdAsync(cancellationToken).ConfigureAwait(false),
                SentUnixMs = now.ToUnixTimeMilliseconds(),
                Body = ByteString.CopyFrom(body),
            };
            var sealedMessage = session.Encrypt(content.ToByteArray(), now);
            var outgoing = sealedMessage.Envelope;
            if (state is null)
            {
                outgoing = IntroCarrier.Wrap(outgoing, _intro.ForSender(IdentityKey.FromEd25519(entry.IdentityKey), now).Address);
            }
            address = outgoing.Address.ToByteArray();
            envelope = outgoing.ToByteArray();
            id = await _database.CommitSendAsync(contact, session.Serialize(), address, envelope, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        var result = await _mailbox.StoreAsync(envelope, address, cancellationToken).ConfigureAwait(false);
        await _database.RecordAttemptAsync(id, result.Acknowledged.Count, result.Complete, cancellationToken).ConfigureAwait(false);
        return new SendResult(id, address, result);
    }

    /// <summary>Stores every outbox envelope that has not yet reached enough holders; returns how many are now complete.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken cancellationToken = default)
    {
        var completed = 0;
        foreach (var entry in await _database.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = await _mailbox.StoreAsync(entry.Envelope, entry.Address, cancellationToken).ConfigureAwait(false);
            if (result.RefusedAsConflict)
            {
                await MoveCarrierAsync(entry, cancellationToken).ConfigureAwait(false);
                continue;
            }
            await _database.RecordAttemptAsync(entry.Id, result.Acknowledged.Count, result.Complete, cancellationToken).ConfigureAwait(false);
            completed += result.Complete ? 1 : 0;
        }
        return completed;
    }

    /// <summary>
    /// Fetches what waits at every address this person expects (intro addresses, every session's pending window),
    /// opens it, and commits it to the inbox; repeats while windows move. Returns the new messages.
    /// </summary>
    public async Task<IReadOnlyList<InboxEntry>> PollAsync(CancellationToken cancellationToken = default)
    {
        var received = new List<InboxEntry>();
        for (var round = 0; round < Options.MaxPollRounds; round++)
        {
            var fresh = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            if (fresh.Count == 0)
            {
                break;
            }
            received.AddRange(fresh);
        }
        if (_prekeysChanged)
        {
            await PublishPrekeysAsync(cancellationToken).ConfigureAwait(false);
        }
        return received;
    }

    /// <summary>
    /// Publishes the prekeys (rotating the signed prekey and topping up one-time prekeys when due) at this week's
    /// prekey address: deletes the previous publication there with the owner's token, then stores the new one.
    /// Returns how many holders acknowledged it.
    /// </summary>
    public async Task<int> PublishPrekeysAsync(CancellationToken cancellationToken = default)
    {
        byte[] publication;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_prekeys.IsRotationDue(now))
            {
                _prekeys.RotateSignedPrekey(_identity, now);
            }
            _prekeys.PruneExpired(now);
            if (_prekeys.OneTimePrekeyCount < Options.OneTimePrekeys / 2)
            {
                _prekeys.GenerateOneTimePrekeys(_identity, Options.OneTimePrekeys - _prekeys.OneTimePrekeyCount);
            }
            await _database.SavePrekeysAsync(_prekeys.ToBytes(), cancellationToken).ConfigureAwait(false);
            publication = _prekeys.CreatePublication().ToByteArray();
            _prekeysChanged = false;
        }
        finally
        {
            _gate.Release();
        }
        var period = PrekeyAddresses.PeriodAt(_time.GetUtcNow());
        var preferred = (await _database.GetMetaAsync(PrekeySlotKey, cancellationToken).ConfigureAwait(false)) is [var slotByte] ? slotByte % PrekeyAddresses.Slots : 0;
        for (var attempt = 0; attempt < PrekeyAddresses.Slots; attempt++)
        {
            var slot = (preferred + attempt) % PrekeyAddresses.Slots;
            var address = PrekeyAddresses.Compute(Identity, period, slot);
            var token = PrekeyAddresses.DeletionToken(_identitySeed, address);
            var envelope = new Envelope
            {
                Version = EnvelopeCodec.Version,
                Address = ByteString.CopyFrom(address),
                Body = ByteString.CopyFrom(publication),
                ExpiresUnixSeconds = (ulong)PrekeyAddresses.ExpiryOf(period).ToUnixTimeSeconds(),
                DeletionHash = ByteString.CopyFrom(SHA256.HashData(token)),
            }.ToByteArray();
            await _mailbox.DeleteAsync(address, token, cancellationToken).ConfigureAwait(false);
            var result = await _mailbox.StoreAsync(envelope, address, cancellationToken).ConfigureAwait(false);
            if (result.Acknowledged.Count > 0)
            {
                await _database.SetMetaAsync(PrekeySlotKey, [(byte)slot], cancellationToken).ConfigureAwait(false);
                await _database.SetMetaAsync(PrekeyPublishedKey, BitConverter.GetBytes(_time.GetUtcNow().ToUnixTimeSeconds()), cancellationToken).ConfigureAwait(false);
                MessengerLog.PrekeysPublished(_logger, slot, result.Acknowledged.Count);
                return result.Acknowledged.Count;
            }
        }
        MessengerLog.PrekeysNotPublished(_logger);
        return 0;
    }

    /// <summary>When the prekeys were last published, or null.</summary>
    public async Task<DateTimeOffset?> LastPrekeyPublicationAsync(CancellationToken cancellationToken = default) =>
        await _database.GetMetaAsync(PrekeyPublishedKey, cancellationToken).ConfigureAwait(false) is { Length: 8 } stamp
            ? DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(stamp))
            : null;

    /// <summary>
    /// Runs until cancelled: publishes prekeys now and every <see cref="MessengerOptions.PrekeyRepublishInterval"/>,
    /// polls and retries the outbox every <see cref="MessengerOptions.PollInterval"/>, and meanwhile watches
    /// (<see cref="WatchAsync"/>) so that a message is opened as soon as it is stored.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watching = WatchAsync(cancellationToken);
        var nextPublish = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Options.PollInterval, _time);
        try
        {
            do
            {
                try
                {
                    if (_time.GetUtcNow() >= nextPublish)
                    {
                        await PublishPrekeysAsync(cancellationToken).ConfigureAwait(false);
                        nextPublish = _time.GetUtcNow() + Options.PrekeyRepublishInterval;
                    }
                    await DeliverPendingAsync(cancellationToken).ConfigureAwait(false);
                    await PollAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
                {
                    MessengerLog.LoopFailed(_logger, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Sessions, contacts, the outbox and the inbox in numbers.</summary>
    public async Task<MessengerStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var (pending, received, sessions) = await _database.CountsAsync(cancellationToken).ConfigureAwait(false);
        var contacts = (await _database.ContactsAsync(cancellationToken).ConfigureAwait(false)).Count;
        return new MessengerStatus(Address, contacts, sessions, pending, received, await LastPrekeyPublicationAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<DioneSession> StartSessionAsync(ContactEntry contact, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var identity = IdentityKey.FromEd25519(contact.IdentityKey);
        VerifiedPrekeyBundle? best = null;
        foreach (var bytes in await _mailbox.FetchAsync([.. PrekeyAddresses.ToFetch(identity, now)], cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var publication = PrekeyBundleVerifier.ParsePublication(Envelope.Parser.ParseFrom(bytes).Body.Span);
                var bundle = PrekeyBundleVerifier.Verify(PrekeyBundleVerifier.PickBundle(publication), identity, now);
                if (best is null || bundle.SignedPrekeyCreatedAt > best.SignedPrekeyCreatedAt)
                {
                    best = bundle;
                }
            }
            catch (Exception e) when (e is InvalidPrekeyBundleException or InvalidProtocolBufferException or FormatException)
            {
                MessengerLog.BadPublication(_logger, contact.Name, e.Message);
            }
        }
        if (best is null)
        {
            throw new MessengerException($"no prekeys of '{contact.Name}' were found in the swarm; they must have run a Dione node that published them");
        }
        var initiation = X3dhInitiator.Initiate(_identity, best);
        return DioneSession.InitiateAsAlice(initiation.Secrets, initiation.RemoteRatchetPublicKey, Options.Session, initiation.SealedIntro.ToArray());
    }

    private async Task MoveCarrierAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var carrier = Envelope.Parser.ParseFrom(entry.Envelope);
        if (!IntroCarrier.IsCarrier(carrier))
        {
            await _database.RecordAttemptAsync(entry.Id, 0, done: false, cancellationToken).ConfigureAwait(false);
            return;
        }
        var contact = await _database.FindContactAsync(entry.Contact, cancellationToken).ConfigureAwait(false);
        if (contact is null)
        {
            await _database.RecordAttemptAsync(entry.Id, 0, done: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        var moved = IntroCarrier.Wrap(IntroCarrier.Unwrap(carrier), _intro.ForSender(IdentityKey.FromEd25519(contact.IdentityKey), _time.GetUtcNow()).Address);
        await _database.ReplaceOutboxEnvelopeAsync(entry.Id, moved.Address.ToByteArray(), moved.ToByteArray(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<InboxEntry>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var watch = await WatchListAsync(cancellationToken).ConfigureAwait(false);
        var fetched = await _mailbox.FetchAsync(watch.Addresses, cancellationToken).ConfigureAwait(false);
        await _database.SetMetaAsync(LastIntroPollKey, BitConverter.GetBytes(watch.Now.ToUnixTimeSeconds()), cancellationToken).ConfigureAwait(false);
        return await ProcessAsync(fetched, watch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for an envelope at any expected address (a waiting FETCH at every holder),
    /// and opens what arrives. Returns the new messages; empty when nothing came.
    /// </summary>
    public async Task<IReadOnlyList<InboxEntry>> WatchOnceAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var watch = await WatchListAsync(cancellationToken).ConfigureAwait(false);
        var arrived = await _mailbox.WaitForEnvelopesAsync(watch.Addresses, wait, cancellationToken).ConfigureAwait(false);
        if (arrived.Count == 0)
        {
            return [];
        }
        // No poll afterwards: the next watch starts at once, and a holder answers it at once when more is waiting.
        return await ProcessAsync(arrived, watch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs until cancelled: <see cref="WatchOnceAsync"/> again and again, so a message is opened as soon as a holder
    /// has it; after a watch that ended early with nothing (holders refusing to wait), pauses one poll interval.
    /// </summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                var received = await WatchOnceAsync(Options.WatchWait, cancellationToken).ConfigureAwait(false);
                if (received.Count == 0 && _time.GetElapsedTime(started) < Options.WatchWait / 2)
                {
                    await Task.Delay(Options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                MessengerLog.LoopFailed(_logger, e.Message);
                await Task.Delay(Options.PollInterval, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<WatchList> WatchListAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lastPoll = await _database.GetMetaAsync(LastIntroPollKey, cancellationToken).ConfigureAwait(false) is { Length: 8 } stamp
            ? DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(stamp))
            : now;
        var introAddresses = _intro.PollAddressesSince(Identity, lastPoll, now).Select(a => Convert.ToHexString(a.Address)).ToHashSet();
        var sessions = await _database.SessionsAsync(cancellationToken).ConfigureAwait(false);
        var owners = new Dictionary<string, string>();
        foreach (var (contact, state) in sessions)
        {
            var session = DioneSession.Restore(state);
            foreach (var pending in session.PendingAddresses.Concat(session.RecoveryAddresses(Options.LookAhead)))
            {
                owners[Convert.ToHexString(pending)] = contact;
            }
        }
        var addresses = introAddresses.Concat(owners.Keys).Distinct().Select(Convert.FromHexString).ToList();
        return new WatchList(now, introAddresses, owners, addresses);
    }

    private async Task<IReadOnlyList<InboxEntry>> ProcessAsync(IReadOnlyList<byte[]> fetched, WatchList watch, CancellationToken cancellationToken)
    {
        var (now, introAddresses, owners) = (watch.Now, watch.IntroAddresses, watch.Owners);
        var received = new List<InboxEntry>();
        var deletions = new List<(byte[] Address, byte[] Token)>();
        var byContact = new Dictionary<string, List<Envelope>>();
        foreach (var bytes in fetched)
        {
            Envelope envelope;
            try
            {
                envelope = EnvelopeCodec.Parse(bytes);
            }
            catch (InvalidEnvelopeException)
            {
                if (!TryParseCarrier(bytes, out envelope))
                {
                    continue;
                }
            }
            var key = Convert.ToHexString(envelope.Address.Span);
            if (introAddresses.Contains(key) && IntroCarrier.IsCarrier(envelope))
            {
                if (await AcceptIntroAsync(envelope, now, deletions, cancellationToken).ConfigureAwait(false) is { } first)
                {
                    received.Add(first);
                }
            }
            else if (owners.TryGetValue(key, out var contact))
            {
                (byContact.TryGetValue(contact, out var list) ? list : byContact[contact] = []).Add(envelope);
            }
        }
        foreach (var (contact, envelopes) in byContact)
        {
            received.AddRange(await OpenForContactAsync(contact, envelopes, now, deletions, cancellationToken).ConfigureAwait(false));
        }
        foreach (var entry in received)
        {
            MessageReceived?.Invoke(this, entry);
        }
        await DeleteReadAsync(deletions, cancellationToken).ConfigureAwait(false);
        return received;
    }

    private static bool TryParseCarrier(byte[] bytes, out Envelope carrier)
    {
        try
        {
            carrier = Envelope.Parser.ParseFrom(bytes);
            return IntroCarrier.IsCarrier(carrier);
        }
        catch (InvalidProtocolBufferException)
        {
            carrier = new Envelope();
            return false;
        }
    }

    private async Task<InboxEntry?> AcceptIntroAsync(Envelope carrier, DateTimeOffset now, List<(byte[] Address, byte[] Token)> deletions, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var before = _prekeys.ToBytes();
        try
        {
            var inner = IntroCarrier.Unwrap(carrier);
            var response = X3dhResponder.AcceptIntro(_identity, _prekeys, carrier.Intro.Span);
            if (await KeepOwnSessionAsync(response.RemoteIdentity, cancellationToken).ConfigureAwait(false))
            {
                _prekeys = PrekeyStore.FromBytes(before);
                return null;
            }
            var session = DioneSession.RespondAsBob(response.Secrets, response.RatchetKeyPair, Options.Session);
            var opened = session.Open(inner, now);
            var content = MessageContent.Parser.ParseFrom(opened.Plaintext);
            var name = (await _database.FindContactByKeyAsync(response.RemoteIdentity.Ed25519PublicKey.ToArray(), cancellationToken).ConfigureAwait(false))?.Name
                ?? DioneAddress.Format(response.RemoteIdentity);
            var message = new ReceivedContent(opened.Address, content.Body.ToByteArray(), (long)content.Sequence, content.SentUnixMs);
            var entry = await _database.CommitNewSessionAsync(name, response.RemoteIdentity.Ed25519PublicKey.ToArray(), _prekeys.ToBytes(),
                session.Serialize(), message, cancellationToken).ConfigureAwait(false);
            _prekeysChanged |= response.OneTimePrekeyId is not null;
            deletions.Add((carrier.Address.ToByteArray(), opened.DeletionToken));
            return entry;
        }
        catch (Exception e) when (e is X3dhRejectedException or InvalidProtocolBufferException or InvalidEnvelopeException
            or AddressNotPendingException or MessageAuthenticationException or MessageRejectedException or TooManySkippedMessagesException)
        {
            _prekeys = PrekeyStore.FromBytes(before);
            MessengerLog.IntroRefused(_logger, e.Message);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Simultaneous first contact: both sides started a session and neither has heard back. Both must end up on the
    /// same one, so the session started by the identity with the smaller key wins: an incoming intro is ignored while
    /// we wait for an answer to our own and our key is the smaller. An established session is replaced by a new intro
    /// (the peer started over).
    /// </summary>
    private async Task<bool> KeepOwnSessionAsync(IdentityKey remote, CancellationToken cancellationToken)
    {
        var contact = await _database.FindContactByKeyAsync(remote.Ed25519PublicKey.ToArray(), cancellationToken).ConfigureAwait(false);
        if (contact is null || await _database.LoadSessionAsync(contact.Name, cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return false;
        }
        return DioneSession.Restore(state).PendingIntro is not null
            && Identity.Ed25519PublicKey.SequenceCompareTo(remote.Ed25519PublicKey) < 0;
    }

    private async Task<IReadOnlyList<InboxEntry>> OpenForContactAsync(
        string contact, List<Envelope> envelopes, DateTimeOffset now, List<(byte[] Address, byte[] Token)> deletions, CancellationToken cancellationToken)
    {
        var opened = new List<(ReceivedContent Message, byte[] Token)>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await _database.LoadSessionAsync(contact, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return [];
            }
            var session = DioneSession.Restore(state);
            foreach (var envelope in envelopes)
            {
                try
                {
                    var message = session.Open(envelope, now);
                    var content = MessageContent.Parser.ParseFrom(message.Plaintext);
                    opened.Add((new ReceivedContent(message.Address, content.Body.ToByteArray(), (long)content.Sequence, content.SentUnixMs), message.DeletionToken));
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidEnvelopeException or AddressNotPendingException
                    or MessageAuthenticationException or MessageRejectedException or TooManySkippedMessagesException)
                {
                    MessengerLog.EnvelopeRefused(_logger, contact, e.Message);
                }
            }
            if (opened.Count == 0)
            {
                return [];
            }
            var ordered = opened.OrderBy(o => o.Message.Sequence).Select(o => o.Message).ToList();
            var added = await _database.CommitReceiveBatchAsync(contact, session.Serialize(), ordered, cancellationToken).ConfigureAwait(false);
            deletions.AddRange(opened.Select(o => (o.Message.Address, o.Token)));
            return added;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Asks the holders to delete envelopes that were read, with their tokens; best effort, in parallel.</summary>
    private Task DeleteReadAsync(List<(byte[] Address, byte[] Token)> deletions, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(deletions, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (deletion, ct) => await _mailbox.DeleteAsync(deletion.Address, deletion.Token, ct).ConfigureAwait(false));

    private sealed record WatchList(DateTimeOffset Now, HashSet<string> IntroAddresses, Dictionary<string, string> Owners, List<byte[]> Addresses);
}
