namespace Dione.Kademlia;

/// <summary>
/// Settings shared by <see cref="KadServer"/>, <see cref="KadClient"/> and <see cref="RoutingTableManager"/>.
/// The protocol id selects the network: <c>/ipfs/kad/1.0.0</c> (Amino), <c>/ipfs/lan/kad/1.0.0</c>, or Dione's own.
/// </summary>
public sealed record KadOptions
{
    private readonly int? _maxCloserPeers;

    /// <summary>The protocol id spoken and (in server mode) registered.</summary>
    public string ProtocolId { get; init; } = KademliaDefaults.ProtocolId;

    /// <summary>Initial mode of the server; client by default, so nothing is advertised unless asked.</summary>
    public KadMode Mode { get; init; } = KadMode.Client;

    /// <summary>k: bucket size and the number of closer peers a server returns.</summary>
    public int BucketSize { get; init; } = KademliaDefaults.K;

    /// <summary>Replacement candidates kept per bucket.</summary>
    public int ReplacementCacheSize { get; init; } = KademliaDefaults.K;

    /// <summary>Time for one outbound request: stream (and dial when needed), request and reply.</summary>
    public TimeSpan RequestTimeout { get; init; } = KademliaDefaults.RequestTimeout;

    /// <summary>An inbound stream with no request for this long is reset (go: 1 minute).</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Inbound kad streams served at once per peer; further ones are reset.</summary>
    public int MaxInboundStreamsPerPeer { get; init; } = 16;

    /// <summary>
    /// Inbound kad streams served at once over all peers; further ones are reset, whoever opens them. 256 by default:
    /// half of go-libp2p's resource manager base for one protocol (512 inbound streams), since each stream may hold a
    /// request of up to 4 MiB.
    /// </summary>
    public int MaxInboundStreams { get; init; } = 256;

    /// <summary>
    /// Closer peers read from one reply; later entries are ignored. Default 2k: an honest server sends k (go and js),
    /// plus the FIND_NODE target itself.
    /// </summary>
    public int MaxCloserPeers
    {
        get => _maxCloserPeers ?? 2 * BucketSize;
        init => _maxCloserPeers = value;
    }

    /// <summary>Provider entries read from one GET_PROVIDERS reply, and the most a server sends.</summary>
    public int MaxProviders { get; init; } = 100;

    /// <summary>Longest provider key (a multihash), as go-libp2p-kad-dht.</summary>
    public int MaxProviderKeyLength { get; init; } = 80;

    /// <summary>Time for the liveness check (FIND_NODE of the peer's own id) of an eviction candidate.</summary>
    public TimeSpan LivenessCheckTimeout { get; init; } = KademliaDefaults.RequestTimeout;

    /// <summary>Liveness checks in flight at once; candidates beyond it are not checked (the newcomer stays a replacement).</summary>
    public int MaxConcurrentLivenessChecks { get; init; } = 16;

    /// <summary>
    /// Whether peers known only at private, loopback or link-local addresses may enter the routing table, and whether
    /// such addresses are learnt from replies, stored for providers and served to others. Null (the default): allowed,
    /// except on the public Amino DHT (<c>/ipfs/kad/1.0.0</c>), where, as in go's dual DHT (WAN side) and kubo, only
    /// public addresses count. Tests and local networks on 127.0.0.1 set it true, as kubo's <c>TEST_DHT_STUB</c> does.
    /// </summary>
    public bool? AllowPrivateAddresses { get; init; }

    /// <summary>The effective value of <see cref="AllowPrivateAddresses"/> for <see cref="ProtocolId"/>.</summary>
    public bool AllowsPrivateAddresses => AllowPrivateAddresses ?? !string.Equals(ProtocolId, KademliaDefaults.ProtocolId, StringComparison.Ordinal);

    /// <summary>
    /// Peers of one IP group (IPv4 /16, /8 for the legacy class A blocks; IPv6 /32) allowed in one bucket, when private
    /// addresses are not allowed (go-libp2p-kad-dht's <c>amino.DefaultMaxPeersPerIPGroupPerCpl</c>, 2).
    /// </summary>
    public int MaxPeersPerIpGroupPerBucket { get; init; } = 2;

    /// <summary>
    /// Peers of one IP group allowed in the whole routing table, when private addresses are not allowed
    /// (go-libp2p-kad-dht's <c>amino.DefaultMaxPeersPerIPGroup</c>, 3).
    /// </summary>
    public int MaxPeersPerIpGroup { get; init; } = 3;

    /// <summary>
    /// Whether a peer newly identified as a DHT server must first answer a FIND_NODE of its own id (and return at
    /// least one peer once our table holds k) before it enters the routing table, as go-libp2p-kad-dht's
    /// <c>lookupCheck</c>. On by default.
    /// </summary>
    public bool AdmissionCheck { get; init; } = true;

    /// <summary>Time for the admission check (go: the refresh query timeout, 10 s).</summary>
    public TimeSpan AdmissionCheckTimeout { get; init; } = KademliaDefaults.RequestTimeout;

    /// <summary>Admission checks in flight at once; a newcomer beyond it is not added (go: 256, and it drops them too).</summary>
    public int MaxConcurrentAdmissionChecks { get; init; } = 256;

    /// <summary>Clock for record stamps and routing table times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <exception cref="ArgumentException">a setting is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ProtocolId);
        if (BucketSize < 1 || ReplacementCacheSize < 0 || MaxInboundStreamsPerPeer < 1 || MaxInboundStreams < 1 || MaxCloserPeers < 1
            || MaxProviders < 1 || MaxProviderKeyLength < 1 || MaxConcurrentLivenessChecks < 1
            || MaxPeersPerIpGroupPerBucket < 1 || MaxPeersPerIpGroup < 1 || MaxConcurrentAdmissionChecks < 1)
        {
            throw new ArgumentException("kad sizes and counts must be positive");
        }
        if (RequestTimeout <= TimeSpan.Zero || StreamIdleTimeout <= TimeSpan.Zero || LivenessCheckTimeout <= TimeSpan.Zero
            || AdmissionCheckTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("kad timeouts must be positive");
        }
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
