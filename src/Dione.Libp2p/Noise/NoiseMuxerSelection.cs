namespace Dione.Libp2p.Noise;

/// <summary>
/// Early stream-muxer negotiation (specs/connections/inlined-muxer-negotiation.md, "Multiplexer Negotiation over
/// Noise"): the muxer is the first entry of the initiator's list that the responder also supports. Both sides run
/// the same function on the same two lists, so they agree.
/// </summary>
internal static class NoiseMuxerSelection
{
    /// <summary>
    /// The agreed muxer, or null when either list is empty or they share nothing. The spec says a handshake with
    /// no overlap must fail; go-libp2p instead falls back to multistream-select, and so do we (null).
    /// </summary>
    public static string? Select(IReadOnlyList<string> initiatorMuxers, IReadOnlyList<string> responderMuxers)
    {
        foreach (var muxer in initiatorMuxers)
        {
            for (var i = 0; i < responderMuxers.Count; i++)
            {
                if (string.Equals(muxer, responderMuxers[i], StringComparison.Ordinal))
                {
                    return muxer;
                }
            }
        }
        return null;
    }
}
