namespace Dione.Libp2p.Noise;

/// <summary>Sizes fixed by the Noise framework and the libp2p Noise wire format (specs/noise, "Wire Format").</summary>
internal static class NoiseLimits
{
    /// <summary>Length of the big-endian length prefix in front of every Noise message.</summary>
    public const int LengthPrefixLength = 2;

    /// <summary>The largest Noise message (handshake or transport), tag included.</summary>
    public const int MaxMessageLength = ushort.MaxValue;

    /// <summary>The ChaChaPoly authentication tag.</summary>
    public const int TagLength = 16;

    /// <summary>The largest plaintext carried by one transport message.</summary>
    public const int MaxPlaintextLength = MaxMessageLength - TagLength;

    /// <summary>The largest frame on the wire: prefix plus message.</summary>
    public const int MaxFrameLength = LengthPrefixLength + MaxMessageLength;

    /// <summary>SHA-256 output length, the Noise HASHLEN.</summary>
    public const int HashLength = 32;

    /// <summary>X25519 key and shared-secret length, the Noise DHLEN.</summary>
    public const int DhLength = 32;
}
