namespace Dione.Libp2p.Noise;

/// <summary>
/// The Noise handshake failed: the peer sent a malformed or unauthenticated message, its identity payload did not
/// verify, it was not the expected peer, or it closed the connection before the handshake completed.
/// </summary>
public sealed class NoiseHandshakeException : Exception
{
    public NoiseHandshakeException()
    {
    }

    public NoiseHandshakeException(string message)
        : base(message)
    {
    }

    public NoiseHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
