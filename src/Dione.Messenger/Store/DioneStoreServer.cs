using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Protos;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Status = Dione.Messenger.Protos.StoreResponse.Types.Status;

namespace Dione.Messenger.Store;

/// <summary>
/// The inbound side of <c>/dione/1.0</c>: answers STORE, FETCH and DELETE from the envelope store, for addresses the
/// <see cref="HolderPolicy"/> says this node holds. Every refusal is a <see cref="StoreResponse"/> with a status and a
/// reason; only an unparsable message, an idle stream or a broken connection reset the stream.
/// </summary>
public sealed class DioneStoreServer
{
    private readonly ILibp2pHost _host;
    private readonly SqliteEnvelopeStore _store;
    private readonly Func<ReadOnlyMemory<byte>, bool> _holds;
    private readonly PeerRateLimiter _rateLimiter;
    private readonly EnvelopeArrivals _arrivals;
    private readonly StorerQuotas _quotas;
    private readonly IStoreObserver? _observer;
    private readonly ILogger _logger;

    /// <param name="host">The host whose streams are served.</param>
    /// <param name="store">Where envelopes are kept.</param>
    /// <param name="holds">Whether this node holds an address (see <see cref="HolderPolicy"/>).</param>
    /// <param name="rateLimiter">Requests allowed per peer; 200 per second with bursts of 2,000 by default.</param>
    /// <param name="arrivals">Bounds of waiting FETCH requests; 8 per peer and 4,096 in total by default.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="observer">Test-only: told of every STORE answered on a stream, refused ones included; none when null.</param>
    public DioneStoreServer(
        ILibp2pHost host, SqliteEnvelopeStore store, Func<ReadOnlyMemory<byte>, bool> holds, PeerRateLimiter? rateLimiter = null,
        EnvelopeArrivals? arrivals = null, ILogger? logger = null, IStoreObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(holds);
        _host = host;
        _store = store;
        _holds = holds;
        _rateLimiter = rateLimiter ?? new PeerRateLimiter(perSecond: 200, burst: 2_000);
        _arrivals = arrivals ?? new EnvelopeArrivals();
        _quotas = new StorerQuotas(store.Options, store.Time);
        _logger = logger ?? NullLogger.Instance;
        _observer = observer;
        _store.EnvelopeStored += address => _arrivals.Notify(address);
    }

    /// <summary>
    /// Raised with every request that arrives on a stream, before it is answered: the requesting peer, the remote
    /// address of its connection and the request. What a holder sees, for tests and diagnostics.
    /// </summary>
    public event Action<PeerId, Multiaddress, StoreRequest>? RequestReceived;

    /// <summary>FETCH requests waiting for an envelope now.</summary>
    public int WaitingFetches => _arrivals.Waiting;

    /// <summary>Registers the protocol handler on the host.</summary>
    public void Start() => _host.SetStreamHandler(DioneStoreProtocol.Id, HandleStreamAsync);

    /// <summary>Removes the protocol handler.</summary>
    public void Stop() => _host.RemoveStreamHandler(DioneStoreProtocol.Id);

    /// <summary>Answers one request from <paramref name="from"/>.</summary>
    /// <param name="from">The requesting peer (its rate limit).</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the answer.</param>
    /// <param name="clientGone">Completes when the client stops waiting (ends a waiting FETCH early); null: never.</param>
    /// <param name="allowance">What the requester may still store (its connection's, see <see cref="StorerQuotas"/>); null: only the node's totals apply.</param>
    public async Task<StoreResponse> HandleAsync(
        PeerId from, StoreRequest request, CancellationToken cancellationToken, Task? clientGone = null, StoreAllowance? allowance = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(request);
        if (!_rateLimiter.TryTake(from))
        {
            return Refuse(Status.RateLimited, "too many requests; slow down");
        }
        return request.Type switch
        {
            StoreRequest.Types.Type.Store => await StoreAsync(request, allowance, cancellationToken).ConfigureAwait(false),
            StoreRequest.Types.Type.Fetch => await FetchAsync(from, request, clientGone, cancellationToken).ConfigureAwait(false),
            StoreRequest.Types.Type.Delete => await DeleteAsync(request, cancellationToken).ConfigureAwait(false),
            _ => Refuse(Status.BadRequest, $"unknown request type {(int)request.Type}"),
        };
    }

    internal async Task HandleStreamAsync(StreamContext stream, CancellationToken cancellationToken)
    {
        var peer = stream.RemotePeer;
        var allowance = _quotas.For(stream.Connection);
        Task<StoreRequest?>? readAhead = null;
        try
        {
            while (true)
            {
                var request = await (readAhead ?? ReadWithinIdleAsync(stream, cancellationToken)).ConfigureAwait(false);
                readAhead = null;
                if (request is null)
                {
                    return;
                }
                var waits = request.Type == StoreRequest.Types.Type.Fetch && request.WaitMs > 0;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(DioneStoreProtocol.RequestTimeout + (waits ? FetchWait(request) : TimeSpan.Zero));
                // While a FETCH waits, the next read runs already: the client closing or resetting the stream (or
                // sending its next request) ends the wait.
                readAhead = waits ? ReadWithinIdleAsync(stream, cancellationToken) : null;
                RequestReceived?.Invoke(peer, stream.Connection.RemoteAddress, request);
                var response = await HandleAsync(peer, request, deadline.Token, readAhead, allowance).ConfigureAwait(false);
                if (request.Type == StoreRequest.Types.Type.Store)
                {
                    _observer?.StoreAnswered(request.Envelope.Memory, response);
                }
                await stream.WriteMessageAsync(response, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            StoreLog.StreamReset(_logger, peer.ToString(), e is OperationCanceledException ? "timeout" : e.Message);
            stream.Reset();
        }
        finally
        {
            if (readAhead is not null)
            {
                await ((Task)readAhead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static async Task<StoreRequest?> ReadWithinIdleAsync(StreamContext stream, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(DioneStoreProtocol.StreamIdleTimeout);
        return await stream.ReadMessageAsync(StoreRequest.Parser, idle.Token).ConfigureAwait(false);
    }

    private static TimeSpan FetchWait(StoreRequest request) =>
        TimeSpan.FromMilliseconds(Math.Min(request.WaitMs, DioneStoreProtocol.MaxFetchWait.TotalMilliseconds));

    private async Task<StoreResponse> StoreAsync(StoreRequest request, StoreAllowance? allowance, CancellationToken cancellationToken)
    {
        if (request.Envelope.IsEmpty)
        {
            return Refuse(Status.BadRequest, "STORE carries no envelope");
        }
        var envelope = EnvelopeCheck.Check(request.Envelope.Span, _store.Options, _store.Time.GetUtcNow(), out var refusal);
        if (envelope is null)
        {
            return Refuse(refusal.Status, refusal.Reason);
        }
        if (!_holds(envelope.Address.Memory))
        {
            return Refuse(Status.NotClosest, "this node is not among the closest peers to the address");
        }
        var outcome = await _store.StoreAsync(request.Envelope.Memory, allowance, cancellationToken).ConfigureAwait(false);
        return outcome.IsOk ? new StoreResponse() : Refuse(outcome.Status, outcome.Reason);
    }

    private async Task<StoreResponse> FetchAsync(PeerId from, StoreRequest request, Task? clientGone, CancellationToken cancellationToken)
    {
        if (request.Addresses.Count == 0 || request.Addresses.Count > _store.Options.MaxFetchAddresses)
        {
            return Refuse(Status.BadRequest, $"FETCH asks for 1 to {_store.Options.MaxFetchAddresses} addresses, not {request.Addresses.Count}");
        }
        if (request.Addresses.Any(a => a.Length != EnvelopeCheck.AddressLength))
        {
            return Refuse(Status.BadRequest, $"every address is {EnvelopeCheck.AddressLength} bytes");
        }
        var held = request.Addresses.Select(a => a.Memory).Where(a => _holds(a)).ToList();
        if (held.Count == 0)
        {
            return Refuse(Status.NotClosest, "this node is not among the closest peers to any of the addresses");
        }
        var found = await _store.FetchAsync(held, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0 && request.WaitMs > 0 && _arrivals.TryRegister(from, held, out var registration))
        {
            using (registration)
            {
                // Stored between the first look and the registration: the second look below finds it.
                found = await _store.FetchAsync(held, cancellationToken).ConfigureAwait(false);
                if (found.Count == 0)
                {
                    await Task.WhenAny(registration.Arrived, clientGone ?? Task.Delay(Timeout.Infinite, cancellationToken), Task.Delay(FetchWait(request), cancellationToken))
                        .ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    found = await _store.FetchAsync(held, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        var response = new StoreResponse();
        response.Envelopes.AddRange(found.Select(ByteString.CopyFrom));
        return response;
    }

    private async Task<StoreResponse> DeleteAsync(StoreRequest request, CancellationToken cancellationToken)
    {
        if (request.Addresses.Count != 1 || request.Addresses[0].Length != EnvelopeCheck.AddressLength || request.DeletionToken.IsEmpty)
        {
            return Refuse(Status.BadRequest, "DELETE takes one 32-byte address and a token");
        }
        var outcome = await _store.DeleteAsync(request.Addresses[0].Memory, request.DeletionToken.Memory, cancellationToken).ConfigureAwait(false);
        return outcome.IsOk ? new StoreResponse() : Refuse(outcome.Status, outcome.Reason);
    }

    private static StoreResponse Refuse(Status status, string reason) => new() { Status = status, Reason = reason };
}
