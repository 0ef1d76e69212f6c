namespace Dione.Cli.Api.Models;

/// <summary>
/// <c>dione/status</c>: the messaging state in numbers. <c>PendingSends</c> are messages not yet acknowledged by
/// enough holders; <c>StoredEnvelopes</c>/<c>StoredBytes</c> are what this node holds for others; <c>OverlayPeers</c>
/// is the size of the Dione overlay's routing table; <c>PrekeysPublished</c> is null until the first publication.
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
    DateTimeOffset? PrekeysPublished);
