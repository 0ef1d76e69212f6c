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

    public Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, CancellationToken cancellationToken = default) =>
        Online ? inner.StoreAsync(envelope, address, cancellationToken) : Task.FromResult(new ReplicationResult([], NoFailures, NoRefusals, Wanted: 1));

    public Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, CancellationToken cancellationToken = default) =>
        Online ? inner.FetchAsync(addresses, cancellationToken) : Task.FromResult<IReadOnlyList<byte[]>>([]);

    public Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(IReadOnlyCollection<byte[]> addresses, TimeSpan wait, CancellationToken cancellationToken = default) =>
        Online ? inner.WaitForEnvelopesAsync(addresses, wait, cancellationToken) : Task.FromResult<IReadOnlyList<byte[]>>([]);

    public Task<int> DeleteAsync(byte[] address, byte[] token, CancellationToken cancellationToken = default) =>
        Online ? inner.DeleteAsync(address, token, cancellationToken) : Task.FromResult(0);
}
