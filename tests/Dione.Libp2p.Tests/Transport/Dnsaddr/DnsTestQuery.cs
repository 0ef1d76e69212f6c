namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

/// <summary>A query as <see cref="LoopbackDnsServer"/> saw it; the name in canonical form.</summary>
internal sealed record DnsTestQuery(ushort Id, string Name, ushort Type, bool OverTcp, byte[] Raw);
