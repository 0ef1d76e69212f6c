using Dione.Messenger.Mailbox;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>
/// A mailbox in front of another that passes everything on and records every DELETE (address and token): what the
/// holders of those addresses learn, so a test can play a holder that later uses a token it once saw.
/// </summary>
internal sealed class DeletionRecordingMailbox(IMailbox inner) : IMailbox
{
    private readonly Lock _gate = new();
    private readonly List<(byte[] Address, byte[] Token)> _deletions = [];

    /// <summary>Every delete asked for so far, oldest first.</summary>
    public IReadOnlyList<(byte[] Address, byte[] Token)> Deletions
    {
        get
        {
            lock (_gate)
            {
                return [.. _deletions];
            }
        }
    }

    public Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, MailboxTraffic traffic, CancellationToken cancellationToken = default) =>
        inner.StoreAsync(envelope, address, traffic, cancellationToken);

    public Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, CancellationToken cancellationToken = default) =>
        inner.FetchAsync(addresses, traffic, cancellationToken);

    public Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, TimeSpan wait, CancellationToken cancellationToken = default) =>
        inner.WaitForEnvelopesAsync(addresses, traffic, wait, cancellationToken);

    public Task<int> DeleteAsync(byte[] address, byte[] token, MailboxTraffic traffic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _deletions.Add(([.. address], [.. token]));
        }
        return inner.DeleteAsync(address, token, traffic, cancellationToken);
    }
}
