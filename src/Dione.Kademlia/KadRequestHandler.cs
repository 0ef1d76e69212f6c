using Dione.Kademlia.Protos;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Kademlia;

/// <summary>
/// Answers one kad request, as go-libp2p-kad-dht's handlers do. Returns the reply, null when none is due
/// (ADD_PROVIDER), or throws <see cref="KadProtocolException"/> when the request is refused (the stream is then reset).
/// </summary>
internal sealed class KadRequestHandler
{
    /// <summary>Provider entries examined in one ADD_PROVIDER (go and js clients send one: the sender).</summary>
    internal const int MaxProviderEntriesExamined = 32;

    private const int PutLockStripes = 64;

    private readonly ILibp2pHost _host;
    private readonly RoutingTable _table;
    private readonly IRecordStore _records;
    private readonly IProviderStore _providers;
    private readonly IRecordValidator _validator;
    private readonly KadOptions _options;
    private readonly SemaphoreSlim[] _putLocks;

    public KadRequestHandler(ILibp2pHost host, RoutingTable table, IRecordStore records, IProviderStore providers, IRecordValidator validator, KadOptions options)
    {
        _host = host;
        _table = table;
        _records = records;
        _providers = providers;
        _validator = validator;
        _options = options;
        _putLocks = [.. Enumerable.Range(0, PutLockStripes).Select(_ => new SemaphoreSlim(1, 1))];
    }

    public async Task<Message?> HandleAsync(PeerId from, Message request, CancellationToken cancellationToken)
    {
        switch (request.Type)
        {
            case Message.Types.MessageType.FindNode:
                return FindNode(from, request);
            case Message.Types.MessageType.GetValue:
                return await GetValueAsync(from, request, cancellationToken).ConfigureAwait(false);
            case Message.Types.MessageType.PutValue:
                return await PutValueAsync(request, cancellationToken).ConfigureAwait(false);
            case Message.Types.MessageType.AddProvider:
                await AddProviderAsync(from, request, cancellationToken).ConfigureAwait(false);
                return null;
            case Message.Types.MessageType.GetProviders:
                return await GetProvidersAsync(from, request, cancellationToken).ConfigureAwait(false);
            case Message.Types.MessageType.Ping:
                return Echo(request);
            default:
                throw new KadProtocolException($"unknown message type {(int)request.Type}");
        }
    }

    private Message FindNode(PeerId from, Message request)
    {
        RequireKey(request);
        var reply = new Message { Type = request.Type, ClusterLevelRaw = request.ClusterLevelRaw };
        var closer = CloserPeers(KadId.FromKey(request.Key.Span), from);
        // As go: the target itself goes first when its addresses are known, even when it is us, the requester or a
        // client. Answering FIND_NODE(our id) with ourselves is what go's admission and liveness checks look for.
        var target = KadPeerCodec.TryParsePeerId(request.Key.Span);
        if (target is not null && (closer.Count == 0 || !closer[0].Id.Span.SequenceEqual(target.Bytes)))
        {
            var addresses = Allowed(target == _host.PeerId ? _host.AdvertisedAddresses() : _host.Peers.Get(target)?.Addresses);
            if (addresses.Count > 0)
            {
                closer.Insert(0, KadPeerCodec.ToProto(new KadPeer(target, addresses, ConnectionTo(target))));
            }
        }
        reply.CloserPeers.AddRange(closer);
        return reply;
    }

    private async Task<Message> GetValueAsync(PeerId from, Message request, CancellationToken cancellationToken)
    {
        RequireKey(request);
        var reply = new Message { Type = request.Type, Key = request.Key, ClusterLevelRaw = request.ClusterLevelRaw };
        var record = await _records.GetAsync(request.Key.ToByteArray(), cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            reply.Record = record;
        }
        reply.CloserPeers.AddRange(CloserPeers(KadId.FromKey(request.Key.Span), from));
        return reply;
    }

    private async Task<Message> PutValueAsync(Message request, CancellationToken cancellationToken)
    {
        RequireKey(request);
        var record = request.Record ?? throw new KadProtocolException("PUT_VALUE without a record");
        if (!request.Key.Equals(record.Key))
        {
            throw new KadProtocolException("PUT_VALUE key does not match the record's key");
        }
        var key = request.Key.ToByteArray();
        var value = record.Value.ToByteArray();
        Validate(key, value, "invalid record");
        var stripe = _putLocks[(int)((uint)KadId.FromKey(key).GetHashCode() % PutLockStripes)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await _records.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is not null && IsValid(key, existing.Value.ToByteArray()))
            {
                int best;
                try
                {
                    best = _validator.Select(key, [value, existing.Value.ToByteArray()]);
                }
                catch (RecordValidationException e)
                {
                    throw new KadProtocolException("no record could be selected", e);
                }
                if (best != 0)
                {
                    throw new KadProtocolException("the stored record is at least as good");
                }
            }
            var stored = record.Clone();
            stored.TimeReceived = RecordTimestamp.Format(_options.TimeProvider.GetUtcNow());
            await _records.PutAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
        return Echo(request);
    }

    private async Task AddProviderAsync(PeerId from, Message request, CancellationToken cancellationToken)
    {
        RequireProviderKey(request);
        var addresses = new List<Multiaddress>();
        var announced = false;
        foreach (var entry in request.ProviderPeers.Take(MaxProviderEntriesExamined))
        {
            // Only the sender may announce itself: any other id is a forged entry and ignored, as go does.
            if (!entry.Id.Span.SequenceEqual(from.Bytes) || KadPeerCodec.TryFromProto(entry) is not { } provider)
            {
                continue;
            }
            announced |= provider.Addresses.Count > 0;
            foreach (var address in Allowed(provider.Addresses))
            {
                if (addresses.Count < KadPeerCodec.MaxAddressesPerPeer && !addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
        }
        // As go: the entry must come with addresses, and is stored even when none passes the filter (then the
        // addresses stored before, if any, are kept).
        if (!announced)
        {
            throw new KadProtocolException("ADD_PROVIDER without a valid provider entry for the sender");
        }
        await _providers.AddAsync(request.Key.ToByteArray(), new KadPeer(from, addresses), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Message> GetProvidersAsync(PeerId from, Message request, CancellationToken cancellationToken)
    {
        RequireProviderKey(request);
        var reply = new Message { Type = request.Type, Key = request.Key, ClusterLevelRaw = request.ClusterLevelRaw };
        reply.CloserPeers.AddRange(CloserPeers(KadId.FromKey(request.Key.Span), from));
        var providers = await _providers.GetAsync(request.Key.ToByteArray(), _options.MaxProviders, cancellationToken).ConfigureAwait(false);
        var size = reply.CalculateSize();
        foreach (var provider in providers.Take(_options.MaxProviders))
        {
            var entry = KadPeerCodec.ToProto(provider with { Addresses = Allowed(provider.Addresses), Connection = ConnectionTo(provider.PeerId) });
            var entrySize = entry.CalculateSize();
            size += 1 + CodedOutputStream.ComputeLengthSize(entrySize) + entrySize;
            if (size > KademliaDefaults.MaxMessageSize)
            {
                break;
            }
            reply.ProviderPeers.Add(entry);
        }
        return reply;
    }

    private static Message Echo(Message request)
    {
        var reply = request.Clone();
        reply.CloserPeers.Clear();
        reply.ProviderPeers.Clear();
        return reply;
    }

    /// <summary>The addresses <see cref="KadAddressFilter"/> lets us serve.</summary>
    private List<Multiaddress> Allowed(IEnumerable<Multiaddress>? addresses) =>
        addresses is null ? [] : KadAddressFilter.Filter(addresses, _options.AllowsPrivateAddresses);

    /// <summary>The k closest peers with known allowed addresses, without us and the requester.</summary>
    private List<Message.Types.Peer> CloserPeers(KadId target, PeerId requester)
    {
        var closer = new List<Message.Types.Peer>(_options.BucketSize + 1);
        foreach (var entry in _table.NearestPeers(target, 2 * _options.BucketSize))
        {
            if (closer.Count == _options.BucketSize)
            {
                break;
            }
            if (entry.PeerId == requester || entry.PeerId == _host.PeerId)
            {
                continue;
            }
            var addresses = Allowed(_host.Peers.Get(entry.PeerId)?.Addresses);
            if (addresses.Count > 0)
            {
                closer.Add(KadPeerCodec.ToProto(new KadPeer(entry.PeerId, addresses, ConnectionTo(entry.PeerId))));
            }
        }
        return closer;
    }

    private Message.Types.ConnectionType ConnectionTo(PeerId peer) =>
        peer != _host.PeerId && _host.FindConnection(peer) is not null
            ? Message.Types.ConnectionType.Connected
            : Message.Types.ConnectionType.NotConnected;

    private void Validate(byte[] key, byte[] value, string what)
    {
        try
        {
            _validator.Validate(key, value);
        }
        catch (RecordValidationException e)
        {
            throw new KadProtocolException($"{what}: {e.Message}", e);
        }
    }

    private bool IsValid(byte[] key, byte[] value)
    {
        try
        {
            _validator.Validate(key, value);
            return true;
        }
        catch (RecordValidationException)
        {
            return false;
        }
    }

    private static void RequireKey(Message request)
    {
        if (request.Key.IsEmpty)
        {
            throw new KadProtocolException($"{request.Type} without a key");
        }
    }

    private void RequireProviderKey(Message request)
    {
        RequireKey(request);
        if (request.Key.Length > _options.MaxProviderKeyLength)
        {
            throw new KadProtocolException($"{request.Type} key of {request.Key.Length} bytes, over {_options.MaxProviderKeyLength}");
        }
    }
}
