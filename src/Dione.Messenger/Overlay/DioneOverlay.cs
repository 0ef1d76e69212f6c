using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Overlay;

/// <summary>
/// The Dione overlay: a Kademlia DHT of Dione nodes only (the same engine as the public DHT, under
/// <see cref="DioneOverlayOptions.ProtocolId"/>), joined by announcing and looking up a rendezvous key on the public
/// DHT. It answers one question for the mailbox: which Dione peers hold an address.
/// </summary>
/// <remarks>
/// Every Dione node is an overlay server, so identify lists the overlay protocol and peers add each other to their
/// overlay tables as soon as they connect. The overlay keeps no records of its own (an in-memory store).
/// </remarks>
public sealed class DioneOverlay : IAsyncDisposable
{
    private readonly ILibp2pHost _host;
    private readonly KademliaDht? _publicDht;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private Task? _rendezvousLoop;

    /// <param name="host">A started host.</param>
    /// <param name="publicDht">The public DHT used for rendezvous, or null when the overlay is joined by bootstrap alone.</param>
    /// <param name="options">Settings; defaults otherwise.</param>
    /// <param name="overlayDht">Settings of the overlay's DHT; the protocol id and server mode are set from <paramref name="options"/>.</param>
    /// <param name="logger">Optional logger.</param>
    public DioneOverlay(ILibp2pHost host, KademliaDht? publicDht = null, DioneOverlayOptions? options = null, KademliaDhtOptions? overlayDht = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        Options = options ?? new DioneOverlayOptions();
        Options.Validate();
        _host = host;
        _publicDht = publicDht;
        _logger = logger ?? NullLogger.Instance;
        var dhtOptions = overlayDht ?? new KademliaDhtOptions();
        Dht = new KademliaDht(host, dhtOptions with
        {
            Kad = dhtOptions.Kad with { ProtocolId = Options.ProtocolId },
            Mode = DhtMode.Server,
            DatabasePath = ":memory:",
        }, logger: _logger);
    }

    public DioneOverlayOptions Options { get; }

    /// <summary>The overlay's DHT.</summary>
    public KademliaDht Dht { get; }

    /// <summary>Starts the overlay DHT and, with a public DHT, announces the rendezvous key and looks for other Dione nodes now and every <see cref="DioneOverlayOptions.RendezvousInterval"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Dht.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_publicDht is not null)
        {
            _rendezvousLoop = RendezvousLoopAsync(_lifetime.Token);
        }
    }

    /// <summary>Connects to known overlay peers and runs a self-lookup in the overlay; returns how many were reached.</summary>
    public Task<int> BootstrapAsync(IEnumerable<Multiaddress> peers, CancellationToken cancellationToken = default) =>
        Dht.BootstrapAsync(peers, cancellationToken);

    /// <summary>
    /// Announces the rendezvous key on the public DHT, dials the Dione nodes that announced it (identify then puts
    /// them in the overlay table), and runs an overlay self-lookup. Returns how many new Dione peers were connected.
    /// </summary>
    /// <exception cref="InvalidOperationException">the overlay has no public DHT.</exception>
    public async Task<int> RendezvousAsync(CancellationToken cancellationToken = default)
    {
        var publicDht = _publicDht ?? throw new InvalidOperationException("this overlay has no public DHT to meet through");
        try
        {
            await publicDht.ProvideAsync(Options.RendezvousKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            OverlayLog.RendezvousFailed(_logger, "provide", e.Message);
        }
        var connected = 0;
        await foreach (var provider in publicDht.FindProvidersAsync(Options.RendezvousKey, Options.MaxRendezvousPeers, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (provider.PeerId == _host.PeerId || _host.FindConnection(provider.PeerId) is not null || provider.Addresses.Count == 0)
            {
                continue;
            }
            _host.Peers.AddAddresses(provider.PeerId, provider.Addresses);
            try
            {
                await _host.DialAsync(provider.PeerId, cancellationToken).ConfigureAwait(false);
                connected++;
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                OverlayLog.RendezvousFailed(_logger, provider.PeerId.ToString(), e.Message);
            }
        }
        if (Dht.RoutingTable.Count > 0)
        {
            await Dht.GetClosestPeersAsync(_host.PeerId.ToBytes(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        OverlayLog.Rendezvous(_logger, connected, Dht.RoutingTable.Count);
        return connected;
    }

    /// <summary>The <see cref="DioneOverlayOptions.Replication"/> Dione peers closest to <paramref name="address"/>, found by an overlay lookup.</summary>
    public async Task<IReadOnlyList<PeerId>> FindHoldersAsync(byte[] address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Dht.RoutingTable.Count == 0)
        {
            return [];
        }
        var result = await Dht.GetClosestPeersAsync(address, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.ClosestPeers.Select(p => p.PeerId).Where(p => p != _host.PeerId).Take(Options.Replication).ToList();
    }

    /// <summary>
    /// Where a lookup for <paramref name="key"/> starts: the k peers of this node's overlay table closest to it, with
    /// the addresses the host knows for them. A lookup run from another identity of this node starts here too.
    /// </summary>
    public IReadOnlyList<KadPeer> LookupSeeds(byte[] key) =>
        [.. Dht.RoutingTable.NearestPeers(KadId.FromKey(key), Dht.Options.Lookup.K)
            .Select(e => new KadPeer(e.PeerId, _host.Peers.Get(e.PeerId)?.Addresses ?? []))];

    /// <summary>The holders of <paramref name="address"/> as this node's overlay table sees them, without network traffic.</summary>
    public IReadOnlyList<PeerId> KnownHolders(ReadOnlySpan<byte> address) =>
        Dht.RoutingTable.NearestPeers(KadId.FromKey(address), Options.Replication).Select(e => e.PeerId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_rendezvousLoop is not null)
        {
            await _rendezvousLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await Dht.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    private async Task RendezvousLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RendezvousAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Options.RendezvousInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
            {
                OverlayLog.RendezvousFailed(_logger, "round", e.Message);
                await Task.Delay(Options.RendezvousInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
