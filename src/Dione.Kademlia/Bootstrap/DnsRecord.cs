namespace Dione.Kademlia.Bootstrap;

/// <summary>
/// One resource record of a response. <see cref="Text"/> holds a TXT record's character-strings joined (UTF-8, invalid
/// bytes replaced); <see cref="Target"/> a CNAME's target in canonical form; both null for other types.
/// </summary>
internal sealed record DnsRecord(string Name, ushort Type, ushort Class, uint TimeToLive, string? Text, string? Target);
