using Dione.Kademlia.Protos;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia;

/// <summary>
/// The outbound side of the DHT: one request to one peer, and typed helpers for each message type.
/// Lookups (iterative queries) are built on top of this.
/// </summary>
/// <remarks>
/// <para>Each request uses a new stream: the host negotiates a single protocol lazily (the proposal travels with the
/// request), so a stream costs no round trip, and a failed stream never poisons the next request. The request is
/// followed by a half-close, so the server's request loop ends cleanly after the reply. go instead reuses one stream
/// per peer (falling back after 3 failures); servers of both kinds accept either.</para>
/// <para>Each request, including the dial when no connection exists, is bounded by <see cref="KadOptions.RequestTimeout"/>
/// and then fails with <see cref="TimeoutException"/>. A reply that is missing, not a message, over the size cap or
/// of another type fails with <see cref="KadProtocolException"/>; transport failures (the peer resets the stream or
/// does not speak the protocol) surface as <see cref="IOException"/> or the host's negotiation exception; cancelling
/// <c>cancellationToken</c> throws <see cref="OperationCanceledException"/>.</para>
/// <para>Closer peers and providers from replies are cleaned by <see cref="KadPeerCodec"/> (at most
/// <see cref="KadOptions.MaxCloserPeers"/> and <see cref="KadOptions.MaxProviders"/> entries read) and
/// <see cref="KadAddressFilter"/>, and their addresses are added to the host's peer store so that they can be dialled.</para>
/// </remarks>
public sealed class KadClient : IKadRpc
{
    private readonly ILibp2pHost _host;
    private readonly KadOptions _options;
    private readonly ILogger _logger;

    public KadClient(ILibp2pHost host, KadOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _options = options ?? new KadOptions();
        _options.Validate();
        _host = host;
        _logger = logger ?? NullLogger.Instance;
    }

    public string ProtocolId => _options.ProtocolId;

    /// <summary>Raised after a peer answered a request with a well-formed reply (the routing table marks it seen).</summary>
    public event EventHandler<PeerId>? PeerResponded;

    /// <summary>Sends <paramref name="request"/> to <paramref name="peer"/> and returns its reply, which has the same type.</summary>
    public async Task<Message> SendRequestAsync(PeerId peer, Message request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(request);
        var reply = await ExchangeAsync(peer, request, expectReply: true, cancellationToken).ConfigureAwait(false);
        PeerResponded?.Invoke(this, peer);
        return reply!;
    }

    /// <summary>Sends <paramref name="request"/> and half-closes the stream without waiting for anything (ADD_PROVIDER).</summary>
    public async Task SendWithoutReplyAsync(PeerId peer, Message request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(request);
        await ExchangeAsync(peer, request, expectReply: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>FIND_NODE: the peers <paramref name="peer"/> knows closest to <paramref name="key"/> (a binary peer id for peer routing).</summary>
    public async Task<IReadOnlyList<KadPeer>> FindNodeAsync(PeerId peer, byte[] key, CancellationToken cancellationToken)
    {
        var reply = await SendRequestAsync(peer, NewRequest(Message.Types.MessageType.FindNode, key), cancellationToken).ConfigureAwait(false);
        return ReadPeers(reply.CloserPeers, _options.MaxCloserPeers, target: KadPeerCodec.TryParsePeerId(key));
    }

    /// <summary>FIND_NODE for the peer <paramref name="target"/>.</summary>
    public Task<IReadOnlyList<KadPeer>> FindNodeAsync(PeerId peer, PeerId target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return FindNodeAsync(peer, target.ToBytes(), cancellationToken);
    }

    /// <summary>GET_VALUE: the record <paramref name="peer"/> holds for <paramref name="key"/>, and closer peers.</summary>
    /// <remarks>A record filed under another key is dropped. The record is not validated here.</remarks>
    public async Task<KadValueReply> GetValueAsync(PeerId peer, byte[] key, CancellationToken cancellationToken)
    {
        var reply = await SendRequestAsync(peer, NewRequest(Message.Types.MessageType.GetValue, key), cancellationToken).ConfigureAwait(false);
        var record = reply.Record is { } r && r.Key.Span.SequenceEqual(key) ? r : null;
        return new KadValueReply(record, ReadPeers(reply.CloserPeers, _options.MaxCloserPeers));
    }

    /// <summary>PUT_VALUE: asks <paramref name="peer"/> to store <paramref name="record"/>; it must echo the value back.</summary>
    /// <exception cref="KadProtocolException">the echo differs. A refused record shows as a reset stream (<see cref="IOException"/>).</exception>
    public async Task PutValueAsync(PeerId peer, Record record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var request = new Message { Type = Message.Types.MessageType.PutValue, Key = record.Key, Record = record };
        var reply = await SendRequestAsync(peer, request, cancellationToken).ConfigureAwait(false);
        if (reply.Record is null || !reply.Record.Value.Equals(record.Value))
        {
            throw new KadProtocolException($"{peer} did not echo the record it was asked to store");
        }
    }

    /// <summary>GET_PROVIDERS: the providers of <paramref name="key"/> (a multihash) <paramref name="peer"/> knows, and closer peers.</summary>
    public async Task<KadProvidersReply> GetProvidersAsync(PeerId peer, byte[] key, CancellationToken cancellationToken)
    {
        var reply = await SendRequestAsync(peer, NewRequest(Message.Types.MessageType.GetProviders, key), cancellationToken).ConfigureAwait(false);
        var providers = ReadPeers(reply.ProviderPeers, _options.MaxProviders, providers: true);
        return new KadProvidersReply(providers, ReadPeers(reply.CloserPeers, _options.MaxCloserPeers));
    }

    /// <summary>ADD_PROVIDER: tells <paramref name="peer"/> that we provide <paramref name="key"/> at <paramref name="addresses"/>; no reply comes.</summary>
    public Task AddProviderAsync(PeerId peer, byte[] key, IReadOnlyList<Multiaddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var request = NewRequest(Message.Types.MessageType.AddProvider, key);
        request.ProviderPeers.Add(KadPeerCodec.ToProto(new KadPeer(_host.PeerId, addresses)));
        return SendWithoutReplyAsync(peer, request, cancellationToken);
    }

    private static Message NewRequest(Message.Types.MessageType type, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Message { Type = type, Key = ByteString.CopyFrom(key) };
    }

    private async Task<Message?> ExchangeAsync(PeerId peer, Message request, bool expectReply, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        StreamContext? stream = null;
        try
        {
            stream = await _host.NewStreamAsync(peer, [_options.ProtocolId], timeout.Token).ConfigureAwait(false);
            await stream.WriteMessageAsync(request, timeout.Token).ConfigureAwait(false);
            if (!expectReply)
            {
                await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
                return null;
            }
            // No half-close before the reply is read: js's server waits for a next request on the same stream and
            // resets it when our end of input arrives, which can discard a reply we have not read yet (go never
            // half-closes its request streams either). The stream is closed once the reply is in.
            Message? reply;
            try
            {
                reply = await stream.ReadMessageAsync(Message.Parser, timeout.Token).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new KadProtocolException($"unusable reply from {peer}: {e.Message}", e);
            }
            catch (EndOfStreamException e)
            {
                throw new KadProtocolException($"{peer} closed the stream inside its reply", e);
            }
            if (reply is null)
            {
                throw new KadProtocolException($"{peer} closed the stream without replying");
            }
            if (reply.Type != request.Type)
            {
                throw new KadProtocolException($"{peer} answered {request.Type} with {reply.Type}");
            }
            return reply;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stream?.Reset();
            KadLog.RequestFailed(_logger, request.Type.ToString(), peer.ToString(), "timeout");
            throw new TimeoutException($"kad {request.Type} to {peer} timed out after {_options.RequestTimeout}");
        }
        catch (Exception e)
        {
            stream?.Reset();
            KadLog.RequestFailed(_logger, request.Type.ToString(), peer.ToString(), e.Message);
            throw;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Cleans peers from a reply and learns their addresses. Addresses that <see cref="KadAddressFilter"/> does not
    /// allow are dropped; a closer peer left without any (while it came with some) is dropped too, unless it is the
    /// FIND_NODE <paramref name="target"/> or we are connected to it, as go's query filter does. We are left out of
    /// closer peers, not of providers; providers are kept even without addresses (the id is the answer).
    /// </summary>
    private IReadOnlyList<KadPeer> ReadPeers(IEnumerable<Message.Types.Peer> entries, int max, bool providers = false, PeerId? target = null)
    {
        var allowPrivate = _options.AllowsPrivateAddresses;
        var peers = KadPeerCodec.FromProtoList(entries, max);
        var useful = new List<KadPeer>(peers.Count);
        foreach (var peer in peers)
        {
            var self = peer.PeerId == _host.PeerId;
            if (self && !providers)
            {
                continue;
            }
            var addresses = KadAddressFilter.Filter(peer.Addresses, allowPrivate);
            if (!providers && addresses.Count == 0 && peer.Addresses.Count > 0 && peer.PeerId != target
                && _host.FindConnection(peer.PeerId) is null)
            {
                continue;
            }
            var kept = addresses.Count == peer.Addresses.Count ? peer : peer with { Addresses = addresses };
            if (!self && kept.Addresses.Count > 0)
            {
                _host.Peers.AddAddresses(kept.PeerId, kept.Addresses);
            }
            useful.Add(kept);
        }
        return useful;
    }
}
