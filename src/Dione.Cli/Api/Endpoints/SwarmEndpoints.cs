using Dione.Cli.Api.Models;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary><c>/api/v0/swarm/peers|connect|disconnect|addrs|addrs/local</c>, with kubo's arguments and fields.</summary>
public static class SwarmEndpoints
{
    /// <summary>How long a connect may take, and a latency measurement.</summary>
    public static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LatencyTimeout = TimeSpan.FromSeconds(5);

    public static void Map(ApiRoutes routes, DioneNode node)
    {
        routes.Post("swarm/peers", context => PeersAsync(context, node.Host));
        routes.Post("swarm/connect", context => ConnectAsync(context, node.Host));
        routes.Post("swarm/disconnect", context => DisconnectAsync(context, node.Host));
        routes.Post("swarm/addrs", context => ApiResponse.WriteAsync(context, KnownAddresses(node.Host)));
        routes.Post("swarm/addrs/local", context => LocalAddressesAsync(context, node.Host));
    }

    private static async Task PeersAsync(HttpContext context, Libp2pHost host)
    {
        var verbose = ApiRequest.Flag(context, "verbose", "v");
        var latency = verbose || ApiRequest.Flag(context, "latency");
        var direction = verbose || ApiRequest.Flag(context, "direction");
        var identify = verbose || ApiRequest.Flag(context, "identify");
        var connections = host.Connections.Where(c => !c.IsClosed).ToList();
        var latencies = latency
            ? await Task.WhenAll(connections.Select(c => MeasureAsync(c, context.RequestAborted))).ConfigureAwait(false)
            : null;
        var peers = connections.Select((c, i) => new SwarmPeerInfo(
                c.RemoteAddress.ToString(),
                c.RemotePeer.ToString(),
                identify && host.Peers.Get(c.RemotePeer) is { } info ? IdEndpoints.Describe(info) : IdOutput.Empty)
        {
            Latency = latencies?[i],
            Direction = direction ? (c.Direction == Direction.Inbound ? SwarmPeerInfo.DirectionInbound : SwarmPeerInfo.DirectionOutbound) : 0,
        })
            .OrderBy(p => p.Addr, StringComparer.Ordinal)
            .ToList();
        await ApiResponse.WriteAsync(context, new SwarmPeers(peers.Count == 0 ? null : peers)).ConfigureAwait(false);
    }

    private static async Task<string> MeasureAsync(Connection connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LatencyTimeout);
        try
        {
            return GoDuration.Format(await connection.MeasureRoundTripAsync(timeout.Token).ConfigureAwait(false));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return "n/a";
        }
    }

    private static async Task ConnectAsync(HttpContext context, Libp2pHost host)
    {
        var addresses = PeerAddresses(context, "address");
        var output = new List<string>();
        foreach (var (address, peer) in addresses)
        {
            var line = $"connect {peer}";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(DialTimeout);
            try
            {
                await host.DialAsync(address, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                var reason = e is OperationCanceledException ? $"no connection within {DialTimeout.TotalSeconds} s" : e.Message;
                throw new ApiException($"{line} failure: {reason}");
            }
            output.Add(line + " success");
        }
        await ApiResponse.WriteAsync(context, new StringList(output)).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the connection to the peer at that address, or every connection to the peer when the address is only
    /// <c>/p2p/ID</c>. As kubo, a peer not connected is reported in the reply ("failure: …"), not as an error.
    /// </summary>
    private static async Task DisconnectAsync(HttpContext context, Libp2pHost host)
    {
        var output = new List<string>();
        foreach (var (address, peer) in PeerAddresses(context, "address"))
        {
            var transport = address.WithoutPeerId();
            var matching = host.Connections
                .Where(c => c.RemotePeer == peer && (transport.Components.Count == 0 || c.RemoteAddress.Equals(transport)))
                .ToList();
            foreach (var connection in matching)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            var failure = transport.Components.Count == 0 ? "not connected" : "conn not found";
            output.Add($"disconnect {peer} " + (matching.Count > 0 ? "success" : "failure: " + failure));
        }
        await ApiResponse.WriteAsync(context, new StringList(output)).ConfigureAwait(false);
    }

    private static AddressMap KnownAddresses(Libp2pHost host) =>
        new(host.Peers.All()
            .Where(p => p.Addresses.Count > 0 && p.PeerId != host.PeerId)
            .ToDictionary(
                p => p.PeerId.ToString(),
                p => (IReadOnlyList<string>)[.. p.Addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)]));

    private static Task LocalAddressesAsync(HttpContext context, Libp2pHost host)
    {
        var withId = ApiRequest.Flag(context, "id");
        var addresses = host.Identify.AdvertisedAddresses()
            .Select(a => withId ? a.WithPeerId(host.PeerId).ToString() : a.ToString())
            .Order(StringComparer.Ordinal)
            .ToList();
        return ApiResponse.WriteAsync(context, new StringList(addresses));
    }

    /// <summary>The <c>arg</c>s as multiaddrs ending in <c>/p2p/ID</c> (all are checked before any is acted on).</summary>
    private static List<(Multiaddress Address, PeerId Peer)> PeerAddresses(HttpContext context, string name)
    {
        ApiRequest.Required(context, name);
        return [.. ApiRequest.Arguments(context).Select(text =>
            Multiaddress.TryParse(text, out var address) && address!.PeerId is { } peer
                ? (address, peer)
                : throw ApiException.Client($"invalid peer address '{text}': expected a multiaddr ending in /p2p/ID"))];
    }
}
