using Dione.Libp2p.Identity;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Protos;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>
/// One person's way to a shared mailbox, which the test can cut: while <see cref="Online"/> is false nothing is stored
/// (no holder acknowledges), fetched or deleted, as for a person whose network is down while the others go on.
/// </summary>
internal sealed class SwitchableMailbox(IMailbox inner) : IMailbox
{
    private static readonly IReadOnlyDictionary<PeerId, string> NoFailures = new Dictionary<PeerId, string>();
    private static readonly IReadOnlyDictionary<PeerId, StoreResponse.Types.Status> NoRefusals = new Dictionary<PeerId, StoreResponse.Types.Status>();

    public bool Online { get; set; } = true;

    public Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, MailboxTraffic traffic, CancellationToken cancellationToken = default) =>
        Online ? inner.StoreAsync(envelope, address, traffic, cancellationToken) : Task.FromResult(new ReplicationResult([], NoFailures, NoRefusals, Wanted: 1));

    public Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, CancellationToken cancellationToken = default) =>
        Online ? inner.FetchAsync(addresses, traffic, cancellationToken) : Task.FromResult<IReadOnlyList<byte[]>>([]);

    public Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, TimeSpan wait, CancellationToken cancellationToken = default) =>
        Online ? inner.WaitForEnvelopesAsync(addresses, traffic, wait, cancellationToken) : Task.FromResult<IReadOnlyList<byte[]>>([]);

    public Task<int> DeleteAsync(byte[] address, byte[] token, MailboxTraffic traffic, CancellationToken cancellationToken = default) =>
        Online ? inner.DeleteAsync(address, token, traffic, cancellationToken) : Task.FromResult(0);
}
