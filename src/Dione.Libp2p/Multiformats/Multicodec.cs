namespace Dione.Libp2p.Multiformats;

/// <summary>Content-type codes from the multicodec table (multiformats/multicodec table.csv) used with CIDs and records.</summary>
public static class Multicodec
{
    /// <summary>The CIDv1 version code.</summary>
    public const ulong CidV1 = 0x01;

    /// <summary>Raw binary.</summary>
    public const ulong Raw = 0x55;

    /// <summary>MerkleDAG protobuf (the implicit codec of CIDv0).</summary>
    public const ulong DagPb = 0x70;

    /// <summary>MerkleDAG CBOR.</summary>
    public const ulong DagCbor = 0x71;

    /// <summary>A libp2p public key; the codec of peer ids written as CIDs.</summary>
    public const ulong Libp2pKey = 0x72;

    /// <summary>MerkleDAG JSON.</summary>
    public const ulong DagJson = 0x0129;

    /// <summary>A libp2p peer record. Signed envelopes carry it as the bytes 03 01 (big-endian), not as its uvarint 81 06.</summary>
    public const ulong Libp2pPeerRecord = 0x0301;
}
