namespace Dione.Cli.Api.Models;

/// <summary>kubo's <c>ipfs id</c> fields.</summary>
public sealed record IdOutput(string ID, string PublicKey, IReadOnlyList<string>? Addresses, string AgentVersion, IReadOnlyList<string>? Protocols)
{
    /// <summary>What kubo puts in <c>swarm peers</c> when identify output was not asked for.</summary>
    public static IdOutput Empty { get; } = new("", "", null, "", null);
}
