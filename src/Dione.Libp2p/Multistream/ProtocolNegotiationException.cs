namespace Dione.Libp2p.Multistream;

/// <summary>
/// multistream-select negotiation failed: the peers share no protocol, the peer broke the protocol
/// (wrong header, unexpected answer, a message without its trailing newline, longer than
/// <see cref="MultistreamSelect.MaxMessageLength"/> bytes, not UTF-8, badly encoded length), or the
/// listener gave up after too many rejected proposals.
/// A stream that ended early is reported as <see cref="EndOfStreamException"/> instead.
/// </summary>
public sealed class ProtocolNegotiationException : Exception
{
    public ProtocolNegotiationException()
        : base("multistream-select negotiation failed")
    {
    }

    public ProtocolNegotiationException(string message)
        : base(message)
    {
    }

    public ProtocolNegotiationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
