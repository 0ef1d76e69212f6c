namespace Dione.Libp2p.Multiformats;

/// <summary>Multihash function codes from the multicodec table that libp2p uses.</summary>
public static class MultihashCode
{
    public const ulong Identity = 0x00;
    public const ulong Sha2_256 = 0x12;
    public const ulong Sha2_512 = 0x13;
}
