using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Repo;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Protocols.Identify;
using Dione.Messenger.Node;

namespace Dione.Cli.Commands;

/// <summary>The fields of kubo's <c>ipfs id</c> output.</summary>
public sealed record NodeIdentity(string ID, string PublicKey, IReadOnlyList<string> Addresses, string AgentVersion, IReadOnlyList<string> Protocols)
{
    public static readonly JsonSerializerOptions JsonOptions = new(ApiJson.CliOptions) { WriteIndented = true };

    public static NodeIdentity Describe(DioneRepo repo)
    {
        // A node that never starts: its host knows the protocols a running daemon would serve.
        var host = new DioneNode(new DioneNodeOptions { Identity = repo.Identity, RunDht = false, RunMailbox = false, RunMessenger = false }).Host;
        var peerId = host.PeerId;
        var configured = repo.Config.Addresses.Swarm
            .Select(a => Multiaddress.TryParse(a, out var parsed) ? parsed : null)
            .OfType<Multiaddress>()
            .ToList();
        var addresses = InterfaceAddresses.Expand(configured).Select(a => a.WithPeerId(peerId).ToString()).ToList();
        return new NodeIdentity(
            peerId.ToString(),
            Convert.ToBase64String(repo.Identity.PublicKey.ToProtobuf()),
            addresses,
            host.AgentVersion,
            host.Protocols);
    }
}
