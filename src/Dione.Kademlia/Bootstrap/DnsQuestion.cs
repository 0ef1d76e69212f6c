namespace Dione.Kademlia.Bootstrap;

/// <summary>One entry of a message's question section; the name in canonical form.</summary>
internal sealed record DnsQuestion(string Name, ushort Type, ushort Class);
