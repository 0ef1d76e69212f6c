using System.Text.Json.Serialization;

namespace Dione.Cli.Api.Models;

/// <summary>
/// One connection in kubo's <c>swarm peers</c>: <c>Addr</c> and <c>Peer</c> always; <c>Latency</c> (a Go duration
/// string, or "n/a") and <c>Direction</c> (go-libp2p's numbers: 1 inbound, 2 outbound) only when asked for;
/// <c>Identify</c> always present (last, as kubo writes it), empty unless asked for.
/// </summary>
/// <remarks>Latency and Direction are properties, not constructor parameters: a reply may leave them out.</remarks>
public sealed record SwarmPeerInfo(string Addr, string Peer, [property: JsonPropertyOrder(1)] IdOutput Identify)
{
    public const int DirectionInbound = 1;
    public const int DirectionOutbound = 2;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Latency { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Direction { get; init; }
}
