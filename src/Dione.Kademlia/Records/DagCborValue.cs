namespace Dione.Kademlia.Records;

/// <summary>A top-level map entry's value as <see cref="DagCborReader"/> returns it.</summary>
internal readonly record struct DagCborValue(DagCborKind Kind, long Integer, ReadOnlyMemory<byte> Bytes)
{
    public static DagCborValue FromInteger(long value) => new(DagCborKind.Integer, value, default);

    public static DagCborValue FromBytes(ReadOnlyMemory<byte> value) => new(DagCborKind.Bytes, 0, value);

    public static DagCborValue FromText(ReadOnlyMemory<byte> utf8) => new(DagCborKind.Text, 0, utf8);

    public static readonly DagCborValue Other = new(DagCborKind.Other, 0, default);
}
