namespace Dione.Kademlia.Records;

/// <summary>The kinds of DAG-CBOR value the IPNS reader distinguishes.</summary>
internal enum DagCborKind
{
    Integer,
    Bytes,
    Text,

    /// <summary>A well-formed value of another kind (map, list, link, float, bool, null), checked but not kept.</summary>
    Other,
}
