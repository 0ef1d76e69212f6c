using System.Text.Json.Serialization;

namespace Dione.Cli.Api.Models;

/// <summary>
/// One connection in kubo's <c>swarm peers</c>: <c>Addr</c> and <c>Peer</c> always; <c>Latency</c> (a Go duration
/// string, or "n/a") and <c>Direction</c> (go-libp2p's numbers: 1 inbound, 2 outbound) only when asked for;
/// <c>Identify</c> always present, empty unless asked for.
/// </summary>
public sealed record SwarmPeerInfo(
    string Addr,
    string Peer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Latency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Direction,
    IdOutput Identify)
{
    public const int DirectionInbound = 1;
    public const int DirectionOutbound = 2;
}
