namespace Dione.Cli.Api.Models;

/// <summary><c>dione/address</c>: <c>{"Address":…}</c>, the shareable Dione address of the daemon's messaging identity.</summary>
public sealed record DioneAddressOutput(string Address);
