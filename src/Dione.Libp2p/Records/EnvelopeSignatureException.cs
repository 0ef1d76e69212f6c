namespace Dione.Libp2p.Records;

/// <summary>A signed envelope whose signature does not verify for the expected domain (wrong domain, tampering, wrong key).</summary>
public sealed class EnvelopeSignatureException : FormatException
{
    public EnvelopeSignatureException()
        : base("signed envelope signature is not valid for the expected domain")
    {
    }

    public EnvelopeSignatureException(string message)
        : base(message)
    {
    }

    public EnvelopeSignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
