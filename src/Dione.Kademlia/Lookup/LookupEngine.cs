using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dione.Kademlia.Protos;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Kademlia.Lookup;

/// <summary>
/// Iterative Kademlia lookups (specs/kad-dht "Peer routing", "Value retrieval", "Content provider discovery") over any
/// <see cref="IKadRpc"/>: <see cref="KadClient"/> on a real host, or an in-memory network in simulations.
/// </summary>
/// <remarks>
/// Each lookup starts from seeds the caller passes (normally the k closest peers of its routing table), keeps at most
/// <see cref="LookupOptions.Alpha"/> requests in flight, drops peers that fail or time out, and ends when the k closest
/// peers seen have all answered (see <see cref="LookupQuery{TReply}"/>). The engine holds no state between lookups,
/// so any number may run at once.
/// </remarks>
public sealed class LookupEngine
{
    private readonly IKadRpc _rpc;
    private readonly PeerId _self;

    /// <exception cref="ArgumentException">an option is out of range.</exception>
    public LookupEngine(IKadRpc rpc, PeerId self, LookupOptions options)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _rpc = rpc;
        _self = self;
        Options = options;
    }

    public LookupOptions Options { get; }

    /// <summary>FIND_NODE lookup: the k peers closest to <paramref name="key"/> that answered.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<LookupResult> FindClosestPeersAsync(
        byte[] key,
        IEnumerable<KadPeer> seeds,
        IProgress<LookupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(seeds);
        var query = new LookupQuery<IReadOnlyList<KadPeer>>(
            KadId.FromKey(key), _self, Options, (peer, ct) => _rpc.FindNodeAsync(peer, key, ct), reply => reply, null, progress);
        var (closest, stats) = await query.RunAsync(seeds, cancellationToken).ConfigureAwait(false);
        return new LookupResult(key, closest, stats);
    }

    /// <summary>
    /// FIND_NODE lookup for <paramref name="target"/> that stops as soon as a reply names the target with addresses
    /// (or the target itself answers).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<FindPeerResult> FindPeerAsync(
        PeerId target,
        IEnumerable<KadPeer> seeds,
        IProgress<LookupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(seeds);
        var key = target.ToBytes();
        KadPeer? found = null;
        var query = new LookupQuery<IReadOnlyList<KadPeer>>(
            KadId.FromKey(key), _self, Options, (peer, ct) => _rpc.FindNodeAsync(peer, key, ct), reply => reply,
            (from, reply) =>
            {
                if (from.PeerId == target)
                {
                    found = from.Peer;
                    return true;
                }
                var take = Math.Min(reply.Count, Options.MaxCloserPeersPerReply);
                for (var i = 0; i < take; i++)
                {
                    if (reply[i] is { } named && named.PeerId == target && named.Addresses.Count > 0)
                    {
                        found = named;
                        return true;
                    }
                }
                return false;
            },
            progress);
        var (_, stats) = await query.RunAsync(seeds, cancellationToken).ConfigureAwait(false);
        return new FindPeerResult(found, stats);
    }

    /// <summary>
    /// GET_VALUE lookup: collects valid records until <see cref="LookupOptions.Quorum"/> of them arrived (or the lookup
    /// converges), lets <paramref name="validator"/> choose the best, and sends it (PUT_VALUE) to the closest peers
    /// that answered with a stale, invalid or no record.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<GetValueResult> GetValueAsync(
        byte[] key,
        IEnumerable<KadPeer> seeds,
        IRecordValidator validator,
        IProgress<LookupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(validator);
        var values = new List<byte[]>();
        var valueOf = new Dictionary<PeerId, byte[]>();
        var query = new LookupQuery<KadValueReply>(
            KadId.FromKey(key), _self, Options, (peer, ct) => _rpc.GetValueAsync(peer, key, ct), reply => reply.CloserPeers,
            (from, reply) =>
            {
                if (reply.Record is { } record && record.Key.Span.SequenceEqual(key) && IsValid(validator, key, record.Value.ToByteArray()) is { } value)
                {
                    values.Add(value);
                    valueOf[from.PeerId] = value;
                }
                return values.Count >= Options.Quorum;
            },
            progress);
        var (closest, stats) = await query.RunAsync(seeds, cancellationToken).ConfigureAwait(false);
        if (values.Count == 0 || SelectBest(validator, key, values) is not { } best)
        {
            return new GetValueResult(null, values.Count, [], stats);
        }
        var stale = closest.Where(p => !valueOf.TryGetValue(p.PeerId, out var held) || !held.AsSpan().SequenceEqual(best)).Select(p => p.PeerId).ToList();
        var correction = new Record { Key = ByteString.CopyFrom(key), Value = ByteString.CopyFrom(best) };
        var (corrected, _) = await SendToAllAsync(stale, (peer, ct) => _rpc.PutValueAsync(peer, correction, ct), cancellationToken).ConfigureAwait(false);
        return new GetValueResult(best, values.Count, corrected, stats);
    }

    /// <summary>
    /// GET_PROVIDERS lookup that yields each provider (distinct by peer id) as soon as a reply names it, and stops after
    /// <paramref name="maxProviders"/> or when the lookup converges. Stopping the enumeration stops the lookup.
    /// </summary>
    /// <param name="completed">Told the lookup's stats when it ends (not when the enumeration is abandoned).</param>
    public async IAsyncEnumerable<KadPeer> FindProvidersAsync(
        byte[] key,
        IEnumerable<KadPeer> seeds,
        int maxProviders,
        IProgress<LookupProgress>? progress = null,
        Action<LookupStats>? completed = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProviders, 1);
        var found = Channel.CreateUnbounded<KadPeer>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var seen = new HashSet<PeerId>();
        var query = new LookupQuery<KadProvidersReply>(
            KadId.FromKey(key), _self, Options, (peer, ct) => _rpc.GetProvidersAsync(peer, key, ct), reply => reply.CloserPeers,
            (_, reply) =>
            {
                foreach (var provider in reply.Providers)
                {
                    if (provider is not null && seen.Count < maxProviders && seen.Add(provider.PeerId))
                    {
                        found.Writer.TryWrite(provider);
                    }
                }
                return seen.Count >= maxProviders;
            },
            progress);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = RunProviderQueryAsync(query, seeds, found.Writer, completed, stop.Token);
        try
        {
            await foreach (var provider in found.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return provider;
            }
            await run.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early or cancelled; the lookup ended with it.
            }
        }
    }

    /// <summary>Closest-peers lookup for the record's key, then PUT_VALUE of <paramref name="record"/> to the k closest.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<StoreResult> PutValueAsync(
        Record record,
        IEnumerable<KadPeer> seeds,
        IProgress<LookupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var lookup = await FindClosestPeersAsync(record.Key.ToByteArray(), seeds, progress, cancellationToken).ConfigureAwait(false);
        var (stored, failed) = await SendToAllAsync(
            [.. lookup.ClosestPeers.Select(p => p.PeerId)], (peer, ct) => _rpc.PutValueAsync(peer, record, ct), cancellationToken).ConfigureAwait(false);
        return new StoreResult(lookup, stored, failed);
    }

    /// <summary>Closest-peers lookup for <paramref name="key"/> (a multihash), then ADD_PROVIDER with <paramref name="addresses"/> to the k closest.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<StoreResult> ProvideAsync(
        byte[] key,
        IReadOnlyList<Multiaddress> addresses,
        IEnumerable<KadPeer> seeds,
        IProgress<LookupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var lookup = await FindClosestPeersAsync(key, seeds, progress, cancellationToken).ConfigureAwait(false);
        var (stored, failed) = await SendToAllAsync(
            [.. lookup.ClosestPeers.Select(p => p.PeerId)], (peer, ct) => _rpc.AddProviderAsync(peer, key, addresses, ct), cancellationToken).ConfigureAwait(false);
        return new StoreResult(lookup, stored, failed);
    }

    private static async Task RunProviderQueryAsync(
        LookupQuery<KadProvidersReply> query,
        IEnumerable<KadPeer> seeds,
        ChannelWriter<KadPeer> found,
        Action<LookupStats>? completed,
        CancellationToken cancellationToken)
    {
        try
        {
            var (_, stats) = await query.RunAsync(seeds, cancellationToken).ConfigureAwait(false);
            completed?.Invoke(stats);
            found.TryComplete();
        }
        catch (Exception e)
        {
            found.TryComplete(e);
            throw;
        }
    }

    /// <summary>Sends one request to each peer at once, each within <see cref="LookupOptions.RequestTimeout"/>.</summary>
    private async Task<(IReadOnlyList<PeerId> Succeeded, IReadOnlyList<PeerId> Failed)> SendToAllAsync(
        IReadOnlyList<PeerId> peers,
        Func<PeerId, CancellationToken, Task> send,
        CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(peers.Select(async peer =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.RequestTimeout);
            try
            {
                await send(peer, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        })).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var succeeded = new List<PeerId>();
        var failed = new List<PeerId>();
        for (var i = 0; i < peers.Count; i++)
        {
            (outcomes[i] ? succeeded : failed).Add(peers[i]);
        }
        return (succeeded, failed);
    }

    private static byte[]? IsValid(IRecordValidator validator, byte[] key, byte[] value)
    {
        try
        {
            validator.Validate(key, value);
            return value;
        }
        catch (RecordValidationException)
        {
            return null;
        }
    }

    private static byte[]? SelectBest(IRecordValidator validator, byte[] key, List<byte[]> values)
    {
        try
        {
            var best = validator.Select(key, values);
            return best >= 0 && best < values.Count ? values[best] : null;
        }
        catch (RecordValidationException)
        {
            return null;
        }
    }
}
