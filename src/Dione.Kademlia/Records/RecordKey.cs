namespace Dione.Kademlia.Records;

/// <summary>DHT record keys of the form <c>/namespace/rest</c> (raw bytes), split as go-libp2p-record's SplitKey.</summary>
internal static class RecordKey
{
    /// <summary>
    /// Splits <paramref name="key"/> into a non-empty namespace (the bytes between the leading '/' and the next
    /// '/') and the rest after that second '/'.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> ns, out ReadOnlySpan<byte> rest)
    {
        ns = default;
        rest = default;
        if (key.IsEmpty || key[0] != (byte)'/')
        {
            return false;
        }
        var separator = key[1..].IndexOf((byte)'/');
        if (separator <= 0)
        {
            return false;
        }
        ns = key.Slice(1, separator);
        rest = key[(separator + 2)..];
        return true;
    }
}
