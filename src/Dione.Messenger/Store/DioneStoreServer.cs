using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
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
    private readonly Libp2pHost _host;
    private readonly SqliteEnvelopeStore _store;
    private readonly Func<ReadOnlyMemory<byte>, bool> _holds;
    private readonly PeerRateLimiter _rateLimiter;
    private readonly ILogger _logger;

    /// <param name="host">The host whose streams are served.</param>
    /// <param name="store">Where envelopes are kept.</param>
    /// <param name="holds">Whether this node holds an address (see <see cref="HolderPolicy"/>).</param>
    /// <param name="rateLimiter">Requests allowed per peer; 200 per second with bursts of 2,000 by default.</param>
    /// <param name="logger">Optional logger.</param>
    public DioneStoreServer(
        Libp2pHost host, SqliteEnvelopeStore store, Func<ReadOnlyMemory<byte>, bool> holds, PeerRateLimiter? rateLimiter = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(holds);
        _host = host;
        _store = store;
        _holds = holds;
        _rateLimiter = rateLimiter ?? new PeerRateLimiter(perSecond: 200, burst: 2_000);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Registers the protocol handler on the host.</summary>
    public void Start() => _host.SetStreamHandler(DioneStoreProtocol.Id, HandleStreamAsync);

    /// <summary>Removes the protocol handler.</summary>
    public void Stop() => _host.RemoveStreamHandler(DioneStoreProtocol.Id);

    /// <summary>Answers one request from <paramref name="from"/>.</summary>
    public async Task<StoreResponse> HandleAsync(PeerId from, StoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(request);
        if (!_rateLimiter.TryTake(from))
        {
            return Refuse(Status.RateLimited, "too many requests; slow down");
        }
        return request.Type switch
        {
            StoreRequest.Types.Type.Store => await StoreAsync(from, request, cancellationToken).ConfigureAwait(false),
            StoreRequest.Types.Type.Fetch => await FetchAsync(request, cancellationToken).ConfigureAwait(false),
            StoreRequest.Types.Type.Delete => await DeleteAsync(request, cancellationToken).ConfigureAwait(false),
            _ => Refuse(Status.BadRequest, $"unknown request type {(int)request.Type}"),
        };
    }

    internal async Task HandleStreamAsync(StreamContext stream, CancellationToken cancellationToken)
    {
        var peer = stream.RemotePeer;
        try
        {
            while (true)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(DioneStoreProtocol.StreamIdleTimeout);
                var request = await stream.ReadMessageAsync(StoreRequest.Parser, deadline.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }
                deadline.CancelAfter(DioneStoreProtocol.RequestTimeout);
                var response = await HandleAsync(peer, request, deadline.Token).ConfigureAwait(false);
                await stream.WriteMessageAsync(response, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            StoreLog.StreamReset(_logger, peer.ToString(), e is OperationCanceledException ? "timeout" : e.Message);
            stream.Reset();
        }
    }

    private async Task<StoreResponse> StoreAsync(PeerId from, StoreRequest request, CancellationToken cancellationToken)
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
        var outcome = await _store.StoreAsync(from, request.Envelope.Memory, cancellationToken).ConfigureAwait(false);
        return outcome.IsOk ? new StoreResponse() : Refuse(outcome.Status, outcome.Reason);
    }

    private async Task<StoreResponse> FetchAsync(StoreRequest request, CancellationToken cancellationToken)
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
