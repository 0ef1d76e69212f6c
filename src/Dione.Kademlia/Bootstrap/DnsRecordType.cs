namespace Dione.Kademlia.Bootstrap;

/// <summary>The DNS record types and class this client deals in (RFC 1035 section 3.2, RFC 6891).</summary>
internal static class DnsRecordType
{
    public const ushort Cname = 5;
    public const ushort Txt = 16;
    public const ushort Opt = 41;

    /// <summary>The Internet class.</summary>
    public const ushort ClassIn = 1;
}
