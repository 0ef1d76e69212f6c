using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Conversations;

/// <summary>
/// A person's Dione messaging: their identity and prekeys, contacts, one ratchet session per contact, sending through
/// the outbox and receiving by polling and watching the mailbox addresses every session expects. This class only
/// wires the parts together; each part is one concern (<see cref="ContactBook"/>, <see cref="MessageSender"/>,
/// <see cref="OutboxRetrier"/>, <see cref="Receiver"/>, <see cref="EnvelopeReader"/>, <see cref="IntroAcceptor"/>,
/// <see cref="PrekeyPublisher"/>, <see cref="MessengerLoop"/>).
/// </summary>
/// <remarks>
/// <para>Sending commits the advanced ratchet state together with the envelope (the outbox) before anything leaves the
/// node, then stores the envelope at the r holders of its address, and retries until r acknowledged it. Receiving
/// commits the advanced state together with the messages it opened, then deletes them at the holders. So a crash at
/// any moment neither reuses a message key nor loses or repeats an acknowledged message.</para>
/// <para>Calls are serialised: one send, intro, poll or prekey renewal at a time changes sessions and prekeys.</para>
/// </remarks>
public sealed class DioneMessenger
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MessengerDatabase _database;
    private readonly ContactBook _contacts;
    private readonly MessageSender _sender;
    private readonly OutboxRetrier _outbox;
    private readonly PrekeyPublisher _prekeys;
    private readonly Receiver _receiver;
    private readonly MessengerLoop _loop;

    private DioneMessenger(MessengerDatabase database, IMailbox mailbox, MessengerOptions options, TimeProvider time, ILogger logger, OwnKeys keys)
    {
        Options = options;
        Identity = keys.PublicKey;
        _database = database;
        var intro = new IntroAddresses(options.Intro);
        var forgotten = new ForgottenSessions(database);
        _contacts = new ContactBook(database, Identity, forgotten, _gate);
        _sender = new MessageSender(database, mailbox, new SessionStarter(mailbox, keys.Identity, options, logger), forgotten, intro, _gate, options, time);
        _outbox = new OutboxRetrier(database, mailbox, intro, time, logger);
        _prekeys = new PrekeyPublisher(database, mailbox, keys, _gate, options, time, logger);
        var reader = new EnvelopeReader(database, mailbox, new IntroAcceptor(database, keys, _gate, options, logger), _gate, logger,
            entry => MessageReceived?.Invoke(this, entry));
        _receiver = new Receiver(mailbox, new ExpectedAddresses(database, Identity, intro, options, time), reader, keys, _prekeys, options, time, logger);
        _loop = new MessengerLoop(_prekeys, _outbox, _receiver, options, time, logger);
    }

    public MessengerOptions Options { get; }

    /// <summary>This person's public identity.</summary>
    public IdentityKey Identity { get; }

    /// <summary>The shareable Dione address of <see cref="Identity"/>.</summary>
    public string Address => DioneAddress.Format(Identity);

    /// <summary>
    /// How many fetch rounds this messenger has sent to the mailbox: each poll round and each watch (a waiting fetch)
    /// counts one. A backlog of N messages takes O(log N) of them (docs/protocol.md, look-ahead).
    /// </summary>
    public long FetchRounds => _receiver.FetchRounds;

    /// <summary>Raised for every message received, after it was committed to the inbox.</summary>
    public event EventHandler<InboxEntry>? MessageReceived;

    /// <summary>Opens the messenger on <paramref name="database"/>, creating an identity and prekeys the first time.</summary>
    /// <param name="mailbox">Where envelopes go and come from: a <see cref="MailboxClient"/> on a node.</param>
    public static async Task<DioneMessenger> OpenAsync(
        MessengerDatabase database, IMailbox mailbox, MessengerOptions? options = null, TimeProvider? time = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(mailbox);
        options ??= new MessengerOptions();
        time ??= TimeProvider.System;
        var keys = await OwnKeys.LoadOrCreateAsync(database, options, time, cancellationToken).ConfigureAwait(false);
        await OutboxUpgrade.UpgradeAsync(database, cancellationToken).ConfigureAwait(false);
        return new DioneMessenger(database, mailbox, options, time, logger ?? NullLogger.Instance, keys);
    }

    /// <summary>
    /// The public identity stored in <paramref name="database"/>, creating it and its prekeys the first time exactly
    /// as <see cref="OpenAsync"/> would; for showing a person's address without a mailbox (no daemon running).
    /// </summary>
    public static async Task<IdentityKey> EnsureIdentityAsync(
        MessengerDatabase database, MessengerOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var keys = await OwnKeys.LoadOrCreateAsync(database, options ?? new MessengerOptions(), time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return keys.PublicKey;
    }

    /// <summary>Adds a contact by name and Dione address.</summary>
    /// <exception cref="MessengerException">the name or address is unusable, or already a contact.</exception>
    public Task AddContactAsync(string name, string address, CancellationToken cancellationToken = default) => _contacts.AddAsync(name, address, cancellationToken);

    /// <summary>Gives a contact another name; the session, the outbox and the inbox stay with the contact.</summary>
    /// <exception cref="MessengerException">no contact has the old name, or the new name is unusable or taken.</exception>
    public async Task RenameContactAsync(string oldName, string newName, CancellationToken cancellationToken = default)
    {
        await _contacts.RenameAsync(oldName, newName, cancellationToken).ConfigureAwait(false);
        _receiver.ExpectedAddressesMayHaveChanged();
    }

    /// <summary>
    /// Removes a contact and the session with it. A contact with a session is removed only with
    /// <paramref name="force"/>: nothing of the session is kept, so what they send on it is never read (a new session
    /// starts the next time you write to them, which their side accepts as you starting over).
    /// </summary>
    /// <exception cref="MessengerException">no contact has that name, or it has a session and <paramref name="force"/> is false.</exception>
    public async Task RemoveContactAsync(string name, bool force = false, CancellationToken cancellationToken = default)
    {
        await _contacts.RemoveAsync(name, force, cancellationToken).ConfigureAwait(false);
        _receiver.ExpectedAddressesMayHaveChanged();
    }

    public Task<IReadOnlyList<ContactEntry>> ContactsAsync(CancellationToken cancellationToken = default) => _contacts.ListAsync(cancellationToken);

    /// <summary>
    /// Encrypts <paramref name="body"/> for <paramref name="contact"/> (starting a session from their published
    /// prekeys when there is none), commits it to the outbox, and tries once to store it at its holders.
    /// </summary>
    /// <returns>The outbox entry and how the first store attempt went.</returns>
    /// <exception cref="MessengerException">unknown contact, message too long, or no prekeys of theirs found.</exception>
    public async Task<SendResult> SendAsync(string contact, byte[] body, CancellationToken cancellationToken = default)
    {
        var result = await _sender.SendAsync(contact, body, cancellationToken).ConfigureAwait(false);
        _receiver.ExpectedAddressesMayHaveChanged();
        return result;
    }

    /// <summary>Stores every outbox envelope that has not yet reached enough holders; returns how many are now complete.</summary>
    public Task<int> DeliverPendingAsync(CancellationToken cancellationToken = default) => _outbox.DeliverPendingAsync(cancellationToken);

    /// <summary>
    /// Fetches what waits at every address this person expects (intro addresses, every session's pending window),
    /// opens it, and commits it to the inbox; repeats while windows move. Returns the new messages.
    /// </summary>
    public Task<IReadOnlyList<InboxEntry>> PollAsync(CancellationToken cancellationToken = default) => _receiver.PollAsync(cancellationToken);

    /// <summary>
    /// Publishes the prekeys (rotating the signed prekey and topping up one-time prekeys when due) at this week's
    /// prekey address: deletes the previous publication there with the owner's token, then stores the new one.
    /// Returns how many holders acknowledged it.
    /// </summary>
    public Task<int> PublishPrekeysAsync(CancellationToken cancellationToken = default) => _prekeys.PublishAsync(cancellationToken);

    /// <summary>When the prekeys were last published, or null.</summary>
    public Task<DateTimeOffset?> LastPrekeyPublicationAsync(CancellationToken cancellationToken = default) => _prekeys.LastPublicationAsync(cancellationToken);

    /// <summary>
    /// Runs until cancelled: publishes prekeys now and every <see cref="MessengerOptions.PrekeyRepublishInterval"/>,
    /// polls and retries the outbox every <see cref="MessengerOptions.PollInterval"/>, and meanwhile watches
    /// (<see cref="WatchAsync"/>) so that a message is opened as soon as it is stored.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => _loop.RunAsync(cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="wait"/> for an envelope at any expected address (a waiting FETCH at every holder),
    /// and opens what arrives. Returns the new messages; empty when nothing came.
    /// </summary>
    public Task<IReadOnlyList<InboxEntry>> WatchOnceAsync(TimeSpan wait, CancellationToken cancellationToken = default) =>
        _receiver.WatchOnceAsync(wait, cancellationToken);

    /// <summary>
    /// Runs until cancelled: <see cref="WatchOnceAsync"/> again and again, so a message is opened as soon as a holder
    /// has it; after a watch that ended early with nothing (holders refusing to wait), pauses one poll interval.
    /// </summary>
    public Task WatchAsync(CancellationToken cancellationToken) => _receiver.WatchAsync(cancellationToken);

    /// <summary>Sessions, contacts, the outbox and the inbox in numbers.</summary>
    public async Task<MessengerStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var (pending, received, sessions) = await _database.CountsAsync(cancellationToken).ConfigureAwait(false);
        var contacts = (await _database.ContactsAsync(cancellationToken).ConfigureAwait(false)).Count;
        return new MessengerStatus(Address, contacts, sessions, pending, received, await LastPrekeyPublicationAsync(cancellationToken).ConfigureAwait(false));
    }
}
