using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>The distinct addresses one <c>/dnsaddr</c> address resolved to, in the order found, up to a limit.</summary>
internal sealed class DnsaddrResults(int limit)
{
    private readonly List<Multiaddress> _addresses = [];
    private readonly HashSet<Multiaddress> _seen = [];

    public bool IsFull => _addresses.Count >= limit;

    public IReadOnlyList<Multiaddress> Addresses => _addresses;

    public void Add(Multiaddress address)
    {
        if (!IsFull && _seen.Add(address))
        {
            _addresses.Add(address);
        }
    }
}
