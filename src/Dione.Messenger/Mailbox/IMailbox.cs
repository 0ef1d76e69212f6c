namespace Dione.Messenger.Mailbox;

/// <summary>
/// What a messenger asks of the mailbox: put an envelope at the holders of its address, take what waits under some
/// addresses (now, or as soon as it arrives), and delete a read envelope with its token. <see cref="MailboxClient"/>
/// does this over the overlay, each <see cref="MailboxTraffic"/> under an identity of its own; a test can do it in memory, so the messenger's ordering promises are checked without sockets.
/// </summary>
public interface IMailbox
{
    /// <summary>Stores <paramref name="envelope"/> (serialised, carrying <paramref name="address"/>) at the holders of the address.</summary>
    Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, MailboxTraffic traffic, CancellationToken cancellationToken = default);

    /// <summary>The envelopes stored under any of <paramref name="addresses"/> (all of one kind of traffic), each once.</summary>
    Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="wait"/> for envelopes under any of <paramref name="addresses"/>; empty when none came.</summary>
    Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(
        IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Asks the holders of <paramref name="address"/> to delete what is stored there; returns how many did.</summary>
    Task<int> DeleteAsync(byte[] address, byte[] token, MailboxTraffic traffic, CancellationToken cancellationToken = default);
}
