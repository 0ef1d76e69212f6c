using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Node;

/// <summary>
/// Settings of a <see cref="DioneNode"/>: which parts run (public DHT, mailbox, messenger and its loop) and how. The
/// defaults are a daemon's node in memory; a short-lived command node turns messaging off and puts the DHT in client mode.
/// </summary>
public sealed record DioneNodeOptions
{
    /// <summary>The host's key; a new Ed25519 key when null.</summary>
    public PrivateKey? Identity { get; init; }

    /// <summary>Where the host listens (none: it only dials).</summary>
    public IReadOnlyList<Multiaddress> ListenAddresses { get; init; } = [];

    /// <summary>Peers <see cref="DioneNode.JoinAsync"/> joins the public DHT and the overlay through.</summary>
    public IReadOnlyList<Multiaddress> BootstrapPeers { get; init; } = [];

    /// <summary>The agent version announced in identify.</summary>
    public string AgentVersion { get; init; } = Libp2pHostBuilder.DefaultAgentVersion;

    /// <summary>The host's resource limits.</summary>
    public HostLimits Limits { get; init; } = new();

    /// <summary>
    /// The one SQLite database of the node: the public DHT's records and providers, the envelopes held for others and
    /// the person's messenger (separate tables). A file path, or <c>:memory:</c> (each part its own, lost on dispose).
    /// </summary>
    public string DatabasePath { get; init; } = ":memory:";

    /// <summary>Whether the node runs the public DHT (<c>/ipfs/kad/1.0.0</c> unless <see cref="Dht"/> names another protocol id).</summary>
    public bool RunDht { get; init; } = true;

    /// <summary>The public DHT's settings: mode, protocol id, private addresses, announced addresses (its database is <see cref="DatabasePath"/>).</summary>
    public KademliaDhtOptions Dht { get; init; } = new();

    /// <summary>Whether the node runs the Dione overlay and the <c>/dione/1.0</c> envelope store.</summary>
    public bool RunMailbox { get; init; } = true;

    /// <summary>The mailbox's settings: overlay (replication, protocol id), the overlay's DHT, the store's limits (its database is <see cref="DatabasePath"/>).</summary>
    public MailboxServiceOptions Mailbox { get; init; } = new();

    /// <summary>Whether the node opens a person's messenger (needs the mailbox).</summary>
    public bool RunMessenger { get; init; } = true;

    /// <summary>
    /// Whether <see cref="DioneNode.StartMessengerLoop"/> runs the messenger's loop (prekey publication, polling and
    /// outbox retries every <see cref="MessengerOptions.PollInterval"/>, and a watch meanwhile); off when the caller
    /// drives the messenger itself.
    /// </summary>
    public bool RunMessengerLoop { get; init; } = true;

    /// <summary>
    /// Whether the node joins again through <see cref="BootstrapPeers"/> whenever it has no peers left, from its first
    /// <see cref="DioneNode.JoinAsync"/> on (a daemon does; a test that arranges its swarm itself does not).
    /// </summary>
    public bool KeepJoined { get; init; }

    /// <summary>The messenger's settings, among them the poll interval.</summary>
    public MessengerOptions Messenger { get; init; } = new();

    /// <summary>Logging for every part; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The messenger's clock; the system's when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <exception cref="ArgumentException">a setting is out of range, or the messenger is asked for without the mailbox.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenAddresses);
        ArgumentNullException.ThrowIfNull(BootstrapPeers);
        ArgumentException.ThrowIfNullOrEmpty(DatabasePath);
        ArgumentNullException.ThrowIfNull(Dht);
        ArgumentNullException.ThrowIfNull(Mailbox);
        ArgumentNullException.ThrowIfNull(Messenger);
        if (RunMessenger && !RunMailbox)
        {
            throw new ArgumentException("the messenger needs the mailbox: set RunMailbox or turn RunMessenger off");
        }
    }
}
