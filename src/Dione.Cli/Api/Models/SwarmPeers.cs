namespace Dione.Cli.Api.Models;

/// <summary>kubo's <c>swarm peers</c> reply: <c>{"Peers":[…]}</c>, null when there is no connection.</summary>
public sealed record SwarmPeers(IReadOnlyList<SwarmPeerInfo>? Peers);
