using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Noise;

/// <summary>Test seams for the handshake: fixed keys and a replacement payload. Never used in production paths.</summary>
internal sealed class NoiseHandshakeOverrides
{
    /// <summary>Use this static key instead of a fresh one.</summary>
    public X25519KeyPair? StaticKey { get; init; }

    /// <summary>Use this ephemeral key instead of a fresh one.</summary>
    public X25519KeyPair? EphemeralKey { get; init; }

    /// <summary>Given our static public key, returns the payload bytes to send instead of the genuine one.</summary>
    public Func<byte[], byte[]>? PayloadFactory { get; init; }
}
