namespace Dione.Cli.Api.Models;

/// <summary>kubo's <c>{"Strings":[…]}</c> reply (swarm connect, disconnect, addrs local).</summary>
public sealed record StringList(IReadOnlyList<string>? Strings);
