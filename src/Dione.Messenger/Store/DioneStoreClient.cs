using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Messenger.Protos;
using Google.Protobuf;

namespace Dione.Messenger.Store;

/// <summary>
/// The outbound side of <c>/dione/1.0</c>: one stream per request, the answer read before the stream is closed, and
/// <see cref="DioneStoreProtocol.RequestTimeout"/> for the whole exchange.
/// </summary>
public sealed class DioneStoreClient
{
    private readonly ILibp2pHost _host;
    private readonly TimeSpan _timeout;

    public DioneStoreClient(ILibp2pHost host, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _timeout = requestTimeout ?? DioneStoreProtocol.RequestTimeout;
    }

    /// <summary>Asks <paramref name="peer"/> to store a serialised envelope.</summary>
    /// <exception cref="IOException">the peer could not be reached or broke the protocol.</exception>
    /// <exception cref="TimeoutException">no answer in time.</exception>
    public async Task<StoreOutcome> StoreAsync(PeerId peer, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default)
    {
        var request = new StoreRequest { Type = StoreRequest.Types.Type.Store, Envelope = ByteString.CopyFrom(envelope.Span) };
        var response = await ExchangeAsync(peer, request, cancellationToken).ConfigureAwait(false);
        return new StoreOutcome(response.Status, response.Reason);
    }

    /// <summary>Asks <paramref name="peer"/> for the envelopes under any of <paramref name="addresses"/>.</summary>
    /// <returns>The serialised envelopes found; empty when the peer holds none of the addresses.</returns>
    public Task<IReadOnlyList<byte[]>> FetchAsync(PeerId peer, IEnumerable<ReadOnlyMemory<byte>> addresses, CancellationToken cancellationToken = default) =>
        FetchAsync(peer, addresses, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// As <see cref="FetchAsync(PeerId, IEnumerable{ReadOnlyMemory{byte}}, CancellationToken)"/>, but when nothing is
    /// there yet the holder keeps the request open up to <paramref name="wait"/> (at most
    /// <see cref="DioneStoreProtocol.MaxFetchWait"/>) and answers as soon as an envelope arrives.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> FetchAsync(PeerId peer, IEnumerable<ReadOnlyMemory<byte>> addresses, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var waitMs = (uint)Math.Clamp(wait.TotalMilliseconds, 0, DioneStoreProtocol.MaxFetchWait.TotalMilliseconds);
        var request = new StoreRequest { Type = StoreRequest.Types.Type.Fetch, WaitMs = waitMs };
        request.Addresses.AddRange(addresses.Select(a => ByteString.CopyFrom(a.Span)));
        var response = await ExchangeAsync(peer, request, cancellationToken, TimeSpan.FromMilliseconds(waitMs)).ConfigureAwait(false);
        return response.Status switch
        {
            StoreResponse.Types.Status.Ok => response.Envelopes.Select(e => e.ToByteArray()).ToList(),
            StoreResponse.Types.Status.NotClosest => [],
            _ => throw new IOException($"{peer} refused FETCH: {response.Status} {response.Reason}"),
        };
    }

    /// <summary>Asks <paramref name="peer"/> to delete the envelope at <paramref name="address"/>.</summary>
    public async Task<StoreOutcome> DeleteAsync(PeerId peer, ReadOnlyMemory<byte> address, ReadOnlyMemory<byte> token, CancellationToken cancellationToken = default)
    {
        var request = new StoreRequest { Type = StoreRequest.Types.Type.Delete, DeletionToken = ByteString.CopyFrom(token.Span) };
        request.Addresses.Add(ByteString.CopyFrom(address.Span));
        var response = await ExchangeAsync(peer, request, cancellationToken).ConfigureAwait(false);
        return new StoreOutcome(response.Status, response.Reason);
    }

    private async Task<StoreResponse> ExchangeAsync(PeerId peer, StoreRequest request, CancellationToken cancellationToken, TimeSpan extra = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout + extra);
        StreamContext? stream = null;
        try
        {
            stream = await _host.NewStreamAsync(peer, [DioneStoreProtocol.Id], timeout.Token).ConfigureAwait(false);
            await stream.WriteMessageAsync(request, timeout.Token).ConfigureAwait(false);
            var response = await stream.ReadMessageAsync(StoreResponse.Parser, timeout.Token).ConfigureAwait(false)
                ?? throw new IOException($"{peer} closed the /dione/1.0 stream without answering");
            await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stream?.Reset();
            throw new TimeoutException($"/dione/1.0 {request.Type} to {peer} timed out after {_timeout}");
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
        {
            stream?.Reset();
            throw new IOException($"unusable /dione/1.0 answer from {peer}: {e.Message}", e);
        }
        catch
        {
            stream?.Reset();
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
}
