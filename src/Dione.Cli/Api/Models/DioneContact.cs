namespace Dione.Cli.Api.Models;

/// <summary>One contact: its name, its Dione address, and when it was added.</summary>
public sealed record DioneContact(string Name, string Address, DateTimeOffset Added);
