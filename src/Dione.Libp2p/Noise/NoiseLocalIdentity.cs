using Dione.Libp2p.Identity;
using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Noise;

/// <summary>
/// One host's side of every Noise handshake: a static X25519 key pair generated once, kept in memory only, and the
/// handshake payload that signs it. specs/noise ("Static Key Authentication") allows a single static key generated
/// when noise-libp2p is initialised and used for all sessions, because the identity key's signature authenticates it;
/// reusing it saves a base-point multiplication and an identity signature per handshake. The remote's payload is
/// still verified on every handshake. Immutable and safe to share between concurrent handshakes.
/// </summary>
internal sealed class NoiseLocalIdentity
{
    private readonly byte[] _payload;

    /// <param name="identity">The identity key that signs the static key.</param>
    /// <param name="streamMuxers">The muxers offered in the payload's extensions, most preferred first (may be empty).</param>
    public NoiseLocalIdentity(PrivateKey identity, IReadOnlyList<string> streamMuxers)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(streamMuxers);
        StaticKey = X25519KeyPair.Generate();
        StreamMuxers = [.. streamMuxers];
        _payload = NoiseHandshakePayloadCodec.Create(identity, StaticKey.PublicKey, StreamMuxers);
        if (_payload.Length > NoiseHandshake.MaxPayloadLength)
        {
            throw new ArgumentException("the handshake payload (identity key, signature, muxer list) exceeds one Noise message", nameof(streamMuxers));
        }
    }

    /// <summary>The static key pair used for every session of this host.</summary>
    public X25519KeyPair StaticKey { get; }

    /// <summary>The muxers announced in the payload.</summary>
    public IReadOnlyList<string> StreamMuxers { get; }

    /// <summary>The encoded payload: identity key, signature over the static key, muxers.</summary>
    public ReadOnlySpan<byte> Payload => _payload;
}
