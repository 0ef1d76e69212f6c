namespace Dione.Cli.Api.Models;

/// <summary>kubo's <c>swarm addrs</c> reply: <c>{"Addrs":{"PEER":["ADDR",…]}}</c>.</summary>
public sealed record AddressMap(IReadOnlyDictionary<string, IReadOnlyList<string>> Addrs);
