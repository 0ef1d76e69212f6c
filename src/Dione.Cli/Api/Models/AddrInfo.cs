namespace Dione.Cli.Api.Models;

/// <summary>A peer and its transport addresses, as go-libp2p's <c>peer.AddrInfo</c> marshals: <c>{"ID":…,"Addrs":[…]}</c>.</summary>
public sealed record AddrInfo(string ID, IReadOnlyList<string> Addrs);
