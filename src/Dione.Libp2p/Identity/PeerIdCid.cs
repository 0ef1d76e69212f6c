namespace Dione.Libp2p.Identity;

/// <summary>The CIDv1 text form of peer ids (multicodec libp2p-key, 0x72).</summary>
internal static class PeerIdCid
{
    public const ulong Libp2pKeyCodec = 0x72;

    public static PeerId Parse(string text) =>
        throw new FormatException("CID peer ids are not supported yet");
}
