using Dione.Messaging.Identity;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// A person's contacts: names for the Dione addresses they write to, checked before they are saved. Renaming and
/// removing hold the messenger's gate, so no send or poll works on a contact while its name or session changes.
/// </summary>
internal sealed class ContactBook(MessengerDatabase database, IdentityKey self, ForgottenSessions forgotten, SemaphoreSlim gate)
{
    /// <remarks>
    /// An address that is already a contact (someone who wrote first is named by their address) is refused with the
    /// rename to run, rather than renamed here: as kubo's <c>key gen</c> refuses a name in use and leaves renaming to
    /// <c>key rename</c>, an "add" never changes a contact that exists, so a typo cannot silently take a name away.
    /// </remarks>
    /// <exception cref="MessengerException">the name or address is unusable, or already a contact.</exception>
    public async Task AddAsync(string name, string address, CancellationToken cancellationToken)
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
        if (key.Equals(self))
        {
            throw new MessengerException("that is your own address");
        }
        var keyBytes = key.Ed25519PublicKey.ToArray();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await database.FindContactByKeyAsync(keyBytes, cancellationToken).ConfigureAwait(false) is { } known)
            {
                throw new MessengerException(known.Name == name
                    ? $"'{name}' is already a contact with this address"
                    : $"this address is already the contact '{known.Name}'; to name it '{name}', run: dione contact rename {ShellWord(known.Name)} {ShellWord(name)}");
            }
            await database.AddContactAsync(name, keyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new MessengerException($"a contact named '{name}' already exists", e);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Renames a contact; its session, outbox and inbox stay with it.</summary>
    /// <exception cref="MessengerException">no contact is named <paramref name="oldName"/>, or the new name is unusable or taken.</exception>
    public async Task RenameAsync(string oldName, string newName, CancellationToken cancellationToken)
    {
        ContactNames.Check(newName);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await database.RenameContactAsync(oldName, newName, cancellationToken).ConfigureAwait(false))
            {
                throw new MessengerException($"no contact named '{oldName}'");
            }
        }
        catch (InvalidOperationException e)
        {
            throw new MessengerException($"a contact named '{newName}' already exists", e);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Removes a contact and the session with it. Without <paramref name="force"/> a contact with a session is kept:
    /// what they send on that session afterwards would be lost, and what they sent and this node has not read yet too.
    /// </summary>
    /// <exception cref="MessengerException">no contact has that name, or it has a session and <paramref name="force"/> is false.</exception>
    public async Task RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var contact = await database.FindContactAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new MessengerException($"no contact named '{name}'");
            if (await database.LoadSessionAsync(name, cancellationToken).ConfigureAwait(false) is not null)
            {
                if (!force)
                {
                    throw new MessengerException($"'{name}' has a session with you: removing it deletes the session, and what they send until "
                        + "you write to them again is lost. To give them another name, use 'dione contact rename'; to remove them anyway, use --force");
                }
                await forgotten.RememberAsync(contact.IdentityKey, cancellationToken).ConfigureAwait(false);
            }
            await database.RemoveContactAsync(name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task<IReadOnlyList<ContactEntry>> ListAsync(CancellationToken cancellationToken) => database.ContactsAsync(cancellationToken);

    /// <summary>A contact name as one shell word, so the command it appears in can be pasted as it is.</summary>
    private static string ShellWord(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? name : "'" + name.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
