using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Identity;

/// <summary>The CIDv1 text form of peer ids (multicodec libp2p-key, 0x72; specs/peer-ids, RFC 0001).</summary>
internal static class PeerIdCid
{
    public const ulong Libp2pKeyCodec = Multicodec.Libp2pKey;

    /// <exception cref="FormatException">not a CIDv1, or a codec other than libp2p-key, or an invalid peer id inside.</exception>
    public static PeerId Parse(string text)
    {
        var cid = Cid.Parse(text);
        if (cid.Version != 1 || cid.Codec != Libp2pKeyCodec)
        {
            throw new FormatException($"CID is not a libp2p-key CIDv1 (version {cid.Version}, codec 0x{cid.Codec:x})");
        }
        return PeerId.FromBytes(cid.Multihash.ToBytes());
    }
}
