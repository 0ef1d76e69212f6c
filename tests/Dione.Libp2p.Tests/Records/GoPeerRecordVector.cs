namespace Dione.Libp2p.Tests.Records;

/// <summary>
/// The go-libp2p-generated signed peer record that js-libp2p checks in packages/peer-record/test/peer-record.spec.ts
/// ("de/serializes the same as a go record"): an Ed25519 key and the envelope it sealed.
/// </summary>
internal static class GoPeerRecordVector
{
    public const string PrivateKey =
        "0801124085fbe72b6064289004a531f967898df5319ee02992fdd84021fa5052434bf6ee11bba3ed1721948cefb4e50b0a0bb5ca"
        + "d8a6b52dc7b1a40f4f6652105c91e2c4";

    public const string Envelope =
        "0a240801122011bba3ed1721948cefb4e50b0a0bb5cad8a6b52dc7b1a40f4f6652105c91e2c4120203011aaa010a260024080112"
        + "2011bba3ed1721948cefb4e50b0a0bb5cad8a6b52dc7b1a40f4f6652105c91e2c410d8b8e0bf9391b697161a0a0a08040102030406"
        + "00001a0a0a0804010203040600011a0a0a0804010203040600021a0a0a0804010203040600031a0a0a0804010203040600041a0a"
        + "0a0804010203040600051a0a0a0804010203040600061a0a0a0804010203040600071a0a0a0804010203040600081a0a0a080401"
        + "0203040600092a40b197f76b9f288af2b467fe666f774476287049b424b73975c8860efb02372d026a799584541ad72f26543464"
        + "85bca3ece36462b7d1b1391c8d276dc4ab8bca0b";

    /// <summary>The sequence number inside (go's time.Now().UnixNano() in August 2020).</summary>
    public const ulong Seq = 1598453001624231000;

    public const string PeerId = "12D3KooWB1b3qZxWJanuhtseF3DmPggHCtG36KZ9ixkqHtdKH9fh";
}
