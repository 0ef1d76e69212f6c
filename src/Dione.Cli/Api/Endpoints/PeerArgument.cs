using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// The peer that <c>ping</c>, <c>id</c> and <c>dione/perf</c> are asked about: a peer id, looked up in the DHT when the
/// node knows no address for it (as kubo does), or a multiaddr ending in <c>/p2p/ID</c>, whose address is remembered.
/// </summary>
public static class PeerArgument
{
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static PeerId Parse(string text, DioneNode node)
    {
        if (text.StartsWith('/'))
        {
            if (!Multiaddress.TryParse(text, out var address) || address!.PeerId is not { } inAddress)
            {
                throw new ApiException($"failed to parse peer address '{text}': expected a peer id or a multiaddr ending in /p2p/ID");
            }
            if (address.WithoutPeerId().Components.Count > 0)
            {
                node.Host.Peers.AddAddresses(inAddress, [address.WithoutPeerId()]);
            }
            return inAddress;
        }
        return PeerId.TryParse(text, out var peer) ? peer! : throw new ApiException($"failed to parse peer address '{text}': not a peer id");
    }

    /// <summary>Whether the node can dial <paramref name="peer"/> without a lookup: connected, or an address is known.</summary>
    public static bool IsKnown(DioneNode node, PeerId peer) =>
        node.Host.FindConnection(peer) is not null || node.Host.Peers.Get(peer)?.Addresses is { Count: > 0 };

    /// <summary>Finds the peer's addresses in the DHT, within <see cref="LookupTimeout"/>.</summary>
    /// <exception cref="ApiException">the DHT does not know the peer.</exception>
    public static async Task LookUpAsync(DioneNode node, PeerId peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LookupTimeout);
        var found = await node.Dht.FindPeerAsync(peer, cancellationToken: timeout.Token).ConfigureAwait(false);
        if (found.Peer is not { Addresses.Count: > 0 })
        {
            throw new ApiException("peer lookup failed: routing: not found");
        }
    }

    /// <summary>The open connection to the peer, or a new one (looked up first when needed), within <see cref="ConnectTimeout"/>.</summary>
    /// <exception cref="ApiException">the peer cannot be found or reached.</exception>
    public static async Task<Connection> ConnectAsync(DioneNode node, PeerId peer, CancellationToken cancellationToken)
    {
        if (node.Host.FindConnection(peer) is { } open)
        {
            return open;
        }
        if (!IsKnown(node, peer))
        {
            await LookUpAsync(node, peer, cancellationToken).ConfigureAwait(false);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            return await node.Host.DialAsync(peer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"no connection within {ConnectTimeout.TotalSeconds} s" : e.Message;
            throw new ApiException($"could not connect to {peer}: {reason}");
        }
    }
}
