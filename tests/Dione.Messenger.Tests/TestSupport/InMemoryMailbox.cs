using System.Security.Cryptography;
using Dione.Libp2p.Identity;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Protos;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>
/// The mailbox of a test, in memory and shared by its people: <see cref="Replication"/> holders, each keeping envelopes
/// by address under the store's rules (the first envelope under an address stays, storing it again is OK, deleting
/// needs the token whose SHA-256 is its deletion hash, and a holder that deleted an envelope refuses it again with
/// <c>NOT_FOUND</c>). Holders can be taken down, hooks run before every store and
/// delete (to look at a database at that moment, or to crash there), and fetches are as unhelpful as the protocol
/// allows: newest first and one copy per holder, so order and duplicates are the messenger's problem.
/// </summary>
internal sealed class InMemoryMailbox : IMailbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PeerId, Dictionary<string, (long Order, byte[] Envelope)>> _held = [];
    private readonly Dictionary<PeerId, Dictionary<string, byte[]>> _deletedHashes = [];
    private readonly Dictionary<string, int> _storeCalls = [];
    private readonly List<byte[]> _everStored = [];
    private readonly List<(string Operation, MailboxTraffic Traffic, string[] Addresses)> _requests = [];
    private TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _order;

    public InMemoryMailbox(int replication = 3)
    {
        Holders = [.. Enumerable.Range(0, replication).Select(_ => TestPeers.Random())];
        foreach (var holder in Holders)
        {
            _held[holder] = [];
            _deletedHashes[holder] = [];
        }
    }

    public IReadOnlyList<PeerId> Holders { get; }

    public int Replication => Holders.Count;

    /// <summary>Holders that neither store nor answer (as if unreachable).</summary>
    public HashSet<PeerId> Down { get; } = [];

    /// <summary>Holders that answer every store <c>NOT_FOUND</c>, as if they had deleted the envelope (a hostile holder's claim).</summary>
    public HashSet<PeerId> ClaimDeleted { get; } = [];

    /// <summary>Runs with the address before anything of a store happens; may throw <see cref="SimulatedCrashException"/>.</summary>
    public Func<byte[], Task>? BeforeStore { get; set; }

    /// <summary>When set, the next store reaches this many holders and then crashes (once).</summary>
    public int? CrashAfterHolders { get; set; }

    /// <summary>Runs with the address before a delete reaches any holder; may throw <see cref="SimulatedCrashException"/>.</summary>
    public Func<byte[], Task>? BeforeDelete { get; set; }

    /// <summary>Bytes every fetch returns as well (garbage, replays), as a hostile holder might.</summary>
    public List<byte[]> Injected { get; } = [];

    /// <summary>How many holders keep something under <paramref name="address"/>.</summary>
    public int CopiesAt(byte[] address)
    {
        lock (_gate)
        {
            return _held.Values.Count(h => h.ContainsKey(Convert.ToHexString(address)));
        }
    }

    /// <summary>
    /// Every distinct envelope some holder accepted, in the order first stored, whether or not it was deleted or
    /// expired since: all that the holders ever saw stored.
    /// </summary>
    public IReadOnlyList<byte[]> EverStored
    {
        get
        {
            lock (_gate)
            {
                return [.. _everStored];
            }
        }
    }

    /// <summary>Every request made of this mailbox: STORE, FETCH, WAIT or DELETE, the traffic it was made as, and its addresses (hex).</summary>
    public IReadOnlyList<(string Operation, MailboxTraffic Traffic, string[] Addresses)> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>How many times a store of <paramref name="address"/> was asked for.</summary>
    public int StoreCallsFor(byte[] address)
    {
        lock (_gate)
        {
            return _storeCalls.GetValueOrDefault(Convert.ToHexString(address));
        }
    }

    public async Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, MailboxTraffic traffic, CancellationToken cancellationToken = default)
    {
        Record("STORE", traffic, [address]);
        if (BeforeStore is { } hook)
        {
            await hook(address).ConfigureAwait(false);
        }
        var key = Convert.ToHexString(address);
        var deletionHash = DioneEnvelope.Parser.ParseFrom(envelope).DeletionHash.ToByteArray();
        var acknowledged = new List<PeerId>();
        var failures = new Dictionary<PeerId, string>();
        var refusals = new Dictionary<PeerId, StoreResponse.Types.Status>();
        lock (_gate)
        {
            _storeCalls[key] = _storeCalls.GetValueOrDefault(key) + 1;
            foreach (var holder in Holders)
            {
                if (CrashAfterHolders is { } limit && acknowledged.Count == limit)
                {
                    CrashAfterHolders = null;
                    throw new SimulatedCrashException();
                }
                if (Down.Contains(holder))
                {
                    failures[holder] = "unreachable";
                }
                else if (ClaimDeleted.Contains(holder)
                    || (_deletedHashes[holder].TryGetValue(key, out var deleted) && deleted.AsSpan().SequenceEqual(deletionHash)))
                {
                    failures[holder] = "NOT_FOUND: this envelope was stored here and deleted";
                    refusals[holder] = StoreResponse.Types.Status.NotFound;
                }
                else if (!_held[holder].TryGetValue(key, out var existing))
                {
                    _held[holder][key] = (++_order, envelope);
                    acknowledged.Add(holder);
                    if (!_everStored.Any(e => e.AsSpan().SequenceEqual(envelope)))
                    {
                        _everStored.Add(envelope);
                    }
                }
                else if (existing.Envelope.AsSpan().SequenceEqual(envelope))
                {
                    acknowledged.Add(holder);
                }
                else
                {
                    failures[holder] = "CONFLICT: another envelope holds the address";
                    refusals[holder] = StoreResponse.Types.Status.Conflict;
                }
            }
            if (acknowledged.Count > 0)
            {
                _stored.TrySetResult();
                _stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        return new ReplicationResult(acknowledged, failures, refusals, Replication);
    }

    public Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, CancellationToken cancellationToken = default)
    {
        Record("FETCH", traffic, addresses);
        return Task.FromResult<IReadOnlyList<byte[]>>([.. HeldAt(addresses), .. Injected]);
    }

    public async Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        Record("WAIT", traffic, addresses);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        while (true)
        {
            Task stored;
            lock (_gate)
            {
                stored = _stored.Task;
            }
            if (HeldAt(addresses) is { Count: > 0 } found)
            {
                return [.. found, .. Injected];
            }
            try
            {
                await stored.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return [];
            }
        }
    }

    public async Task<int> DeleteAsync(byte[] address, byte[] token, MailboxTraffic traffic, CancellationToken cancellationToken = default)
    {
        Record("DELETE", traffic, [address]);
        if (BeforeDelete is { } hook)
        {
            await hook(address).ConfigureAwait(false);
        }
        var key = Convert.ToHexString(address);
        var hash = SHA256.HashData(token);
        var deleted = 0;
        lock (_gate)
        {
            foreach (var holder in Holders.Where(h => !Down.Contains(h)))
            {
                if (_held[holder].TryGetValue(key, out var existing) && DioneEnvelope.Parser.ParseFrom(existing.Envelope).DeletionHash.Span.SequenceEqual(hash))
                {
                    _held[holder].Remove(key);
                    _deletedHashes[holder][key] = hash;
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private void Record(string operation, MailboxTraffic traffic, IReadOnlyCollection<byte[]> addresses)
    {
        lock (_gate)
        {
            _requests.Add((operation, traffic, [.. addresses.Select(Convert.ToHexString)]));
        }
    }

    /// <summary>What the holders that are up keep under <paramref name="addresses"/>: newest first, one copy per holder.</summary>
    private List<byte[]> HeldAt(IReadOnlyCollection<byte[]> addresses)
    {
        var wanted = addresses.Select(Convert.ToHexString).ToHashSet();
        lock (_gate)
        {
            return [.. Holders.Where(h => !Down.Contains(h))
                .SelectMany(h => _held[h].Where(e => wanted.Contains(e.Key)).Select(e => e.Value))
                .OrderByDescending(e => e.Order)
                .Select(e => e.Envelope)];
        }
    }
}
