namespace Dione.Libp2p.Yamux;

/// <summary>The remote peer violated the yamux protocol (malformed frame, window overrun, bad stream id...).</summary>
public sealed class YamuxProtocolException : YamuxException
{
    /// <summary>Creates the exception with a description of the violation.</summary>
    public YamuxProtocolException(string message)
        : base(message)
    {
    }
}
