namespace Dione.Kademlia.Bootstrap;

/// <summary>A parsed DNS response: the header fields this client uses, the question and the answer section.</summary>
internal sealed record DnsResponse(
    ushort Id,
    int Opcode,
    bool IsTruncated,
    int ResponseCode,
    IReadOnlyList<DnsQuestion> Questions,
    IReadOnlyList<DnsRecord> Answers)
{
    public const int NoError = 0;
    public const int NameError = 3;
}
