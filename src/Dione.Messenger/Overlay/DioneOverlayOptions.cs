using System.Text;
using Dione.Libp2p.Multiformats;

namespace Dione.Messenger.Overlay;

/// <summary>Settings of the Dione overlay: its DHT protocol, replication, and rendezvous through the public DHT.</summary>
public sealed record DioneOverlayOptions
{
    /// <summary>The overlay's Kademlia protocol id; only Dione nodes speak it, so its routing tables hold only Dione nodes.</summary>
    public string ProtocolId { get; init; } = "/dione/kad/1.0.0";

    /// <summary>r: how many of the closest Dione peers store each envelope (5 by default).</summary>
    public int Replication { get; init; } = 5;

    /// <summary>
    /// How many overlay peers may be closer to an address than this node before it stops holding the address: twice
    /// <see cref="Replication"/> by default (see <see cref="Store.HolderPolicy"/>).
    /// </summary>
    public int HolderSlack => 2 * Replication;

    /// <summary>
    /// The provider key every Dione node announces on the public DHT so others can find it: the SHA-256 multihash of
    /// the text <c>/dione/rendezvous/1.0</c>. No Dione-run bootstrap server is needed.
    /// </summary>
    public byte[] RendezvousKey { get; init; } = Multihash.Sha256(Encoding.ASCII.GetBytes("/dione/rendezvous/1.0"));

    /// <summary>How often the node looks for new Dione peers through the rendezvous key.</summary>
    public TimeSpan RendezvousInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Rendezvous providers dialled per round at most.</summary>
    public int MaxRendezvousPeers { get; init; } = 20;

    /// <summary>How often held envelopes are offered again to the current closest peers of their addresses.</summary>
    public TimeSpan RereplicationInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Stores and fetches in flight at once during a replication or a poll.</summary>
    public int Parallelism { get; init; } = 8;

    /// <exception cref="ArgumentException">a setting is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ProtocolId);
        ArgumentOutOfRangeException.ThrowIfLessThan(Replication, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RendezvousKey.Length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RendezvousInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRendezvousPeers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RereplicationInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1);
    }
}
