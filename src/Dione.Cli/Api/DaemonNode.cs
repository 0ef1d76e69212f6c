using Dione.Kademlia;
using Dione.Libp2p.Host;

namespace Dione.Cli.Api;

/// <summary>What the API's commands act on: the daemon's host, its DHT, and its messaging.</summary>
public sealed record DaemonNode(Libp2pHost Host, KademliaDht Dht, DaemonMessaging Messaging);
