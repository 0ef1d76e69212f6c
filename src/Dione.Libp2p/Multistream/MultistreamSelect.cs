namespace Dione.Libp2p.Multistream;

/// <summary>
/// multistream-select 1.0 protocol negotiation (libp2p specs, connections/README.md "Protocol Negotiation";
/// multiformats/multistream-select). Every message is a uvarint length, UTF-8 text and '\n', the length
/// counting the newline. The dialer sends the header and its first proposal in one write, the listener
/// answers with its header and the first answer in one write, so a successful first proposal costs
/// one round trip.
/// </summary>
/// <remarks>
/// Failures: <see cref="ProtocolNegotiationException"/> for protocol violations and "no common protocol",
/// <see cref="EndOfStreamException"/> when the peer closes early, <see cref="OperationCanceledException"/>
/// on cancellation; transport errors (<see cref="IOException"/>) pass through. None of the methods reads
/// past the negotiation, so the stream can be handed to the selected protocol as it is.
/// </remarks>
public static class MultistreamSelect
{
    /// <summary>The multistream-select header and protocol id.</summary>
    public const string ProtocolId = "/multistream/1.0.0";

    /// <summary>Largest accepted message, in bytes, counting the newline (go-multistream's limit).</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>The listener gives up after rejecting this many proposals (including <c>ls</c>).</summary>
    public const int MaxRejectedProposals = 32;

    /// <summary>
    /// Dialer: proposes each protocol in order until the listener accepts one; the header and the first
    /// proposal go out in one write. Works whether the listener sends its header first or only after
    /// reading ours. Returns the accepted protocol id.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or holds an id that cannot be proposed.</exception>
    /// <exception cref="ProtocolNegotiationException">Every proposal was rejected, or the listener broke the protocol.</exception>
    public static async Task<string> SelectAsync(Stream stream, IReadOnlyList<string> protocols, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        if (protocols.Count == 0)
        {
            throw new ArgumentException("at least one protocol must be proposed", nameof(protocols));
        }
        foreach (var protocol in protocols)
        {
            MultistreamMessage.ValidateProtocolId(protocol, nameof(protocols));
        }

        await WriteAsync(stream, MultistreamMessage.Encode(ProtocolId, protocols[0]), ct).ConfigureAwait(false);
        await ExpectHeaderAsync(stream, ct).ConfigureAwait(false);
        for (var i = 0; i < protocols.Count; i++)
        {
            if (i > 0)
            {
                await WriteAsync(stream, MultistreamMessage.Encode(protocols[i]), ct).ConfigureAwait(false);
            }
            var answer = await MultistreamMessage.ReadAsync(stream, ct).ConfigureAwait(false);
            if (answer == protocols[i])
            {
                return answer;
            }
            if (answer != MultistreamMessage.NotAvailable)
            {
                throw new ProtocolNegotiationException(
                    $"listener answered {MultistreamMessage.Quote(answer)} to the proposal '{protocols[i]}'");
            }
        }
        throw new ProtocolNegotiationException(
            $"no common protocol: the listener rejected {string.Join(", ", protocols)}");
    }

    /// <summary>
    /// Dialer, lazy (optimistic) negotiation of one protocol: starts writing the header and the proposal
    /// and returns at once. Writes to the returned stream go straight through (after the handshake bytes);
    /// its first read consumes and checks the listener's header and echo, and throws
    /// <see cref="ProtocolNegotiationException"/> if the listener answered <c>na</c>. The returned stream
    /// owns <paramref name="stream"/>: disposing it disposes the inner stream. An error while writing the
    /// handshake surfaces from the next write or flush.
    /// </summary>
    /// <exception cref="ArgumentException">The protocol id cannot be proposed.</exception>
    public static Stream SelectLazy(Stream stream, string protocol)
    {
        ArgumentNullException.ThrowIfNull(stream);
        MultistreamMessage.ValidateProtocolId(protocol, nameof(protocol));
        return new LazyNegotiationStream(stream, protocol);
    }

    /// <summary>
    /// Listener: reads the dialer's header and proposals and answers each, the first answer together with
    /// our header in one write (nothing is written before the dialer's header and first proposal arrive).
    /// A proposal is accepted when <paramref name="isSupported"/> returns true; <c>ls</c> is answered
    /// <c>na</c>. Returns the accepted protocol id. Gives up with <see cref="ProtocolNegotiationException"/>
    /// after <see cref="MaxRejectedProposals"/> rejections; a dialer that stays silent is only abandoned
    /// through <paramref name="ct"/>.
    /// </summary>
    public static async Task<string> HandleAsync(Stream stream, Func<string, bool> isSupported, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(isSupported);

        var first = await MultistreamMessage.ReadAsync(stream, ct).ConfigureAwait(false);
        if (first != ProtocolId)
        {
            throw new ProtocolNegotiationException(
                $"expected the header '{ProtocolId}', the dialer sent {MultistreamMessage.Quote(first)}");
        }
        var headerSent = false;
        for (var rejected = 0; ;)
        {
            var proposal = await MultistreamMessage.ReadAsync(stream, ct).ConfigureAwait(false);
            var accepted = IsProposable(proposal) && isSupported(proposal);
            var answer = accepted ? proposal : MultistreamMessage.NotAvailable;
            var bytes = headerSent ? MultistreamMessage.Encode(answer) : MultistreamMessage.Encode(ProtocolId, answer);
            headerSent = true;
            await WriteAsync(stream, bytes, ct).ConfigureAwait(false);
            if (accepted)
            {
                return proposal;
            }
            if (++rejected >= MaxRejectedProposals)
            {
                throw new ProtocolNegotiationException(
                    $"dialer made {rejected} proposals without finding a supported protocol");
            }
        }
    }

    /// <summary>Reads one message and checks it is the multistream-select header.</summary>
    internal static async Task ExpectHeaderAsync(Stream stream, CancellationToken ct)
    {
        var header = await MultistreamMessage.ReadAsync(stream, ct).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new ProtocolNegotiationException(
                $"expected the header '{ProtocolId}', the listener sent {MultistreamMessage.Quote(header)}");
        }
    }

    private static bool IsProposable(string proposal) =>
        proposal.Length > 0 && proposal is not (ProtocolId or MultistreamMessage.List or MultistreamMessage.NotAvailable);

    private static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken ct)
    {
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
