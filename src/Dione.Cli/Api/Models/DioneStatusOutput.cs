namespace Dione.Cli.Api.Models;

/// <summary>
/// <c>dione/status</c>: the messaging state in numbers. <c>PendingSends</c> are messages not yet acknowledged by
/// enough holders; <c>StoredEnvelopes</c>/<c>StoredBytes</c> are what this node holds for others; <c>OverlayPeers</c>
/// is the size of the Dione overlay's routing table; <c>PrekeysPublished</c> is null until the first publication.
/// <c>DhtMode</c> is the public DHT's mode as asked for (<c>client</c>, <c>server</c>, <c>auto</c>) and
/// <c>DhtModeNow</c> the one in effect (<c>client</c> or <c>server</c>); <c>BootstrapPeers</c> is how many the daemon
/// joins through; <c>Warnings</c> says what keeps the daemon from doing its job (no bootstrap peers, no overlay peers).
/// </summary>
public sealed record DioneStatusOutput(
    string Address,
    int Contacts,
    long Sessions,
    long PendingSends,
    long Received,
    long StoredEnvelopes,
    long StoredBytes,
    int OverlayPeers,
    DateTimeOffset? PrekeysPublished,
    string DhtMode,
    string DhtModeNow,
    int BootstrapPeers,
    string[] Warnings);
