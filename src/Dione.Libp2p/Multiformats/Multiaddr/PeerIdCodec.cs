using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>A peer id: binary multihash; text base58btc, or a libp2p-key CID on input.</summary>
internal sealed class PeerIdCodec : IMultiaddrValueCodec
{
    public byte[] Parse(string text) => PeerId.Parse(text).ToBytes();

    public string Format(ReadOnlySpan<byte> value) => PeerId.FromBytes(value).ToString();
}
