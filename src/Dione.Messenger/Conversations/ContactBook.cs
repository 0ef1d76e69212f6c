using Dione.Messaging.Identity;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>A person's contacts: names for the Dione addresses they write to, checked before they are saved.</summary>
internal sealed class ContactBook(MessengerDatabase database, IdentityKey self)
{
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
        try
        {
            await database.AddContactAsync(name, key.Ed25519PublicKey.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new MessengerException($"a contact named '{name}' or with this address already exists", e);
        }
    }

    /// <exception cref="MessengerException">no contact has that name.</exception>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if (!await database.RemoveContactAsync(name, cancellationToken).ConfigureAwait(false))
        {
            throw new MessengerException($"no contact named '{name}'");
        }
    }

    public Task<IReadOnlyList<ContactEntry>> ListAsync(CancellationToken cancellationToken) => database.ContactsAsync(cancellationToken);
}
