namespace Dione.Cli.Api.Models;

/// <summary><c>dione/contact/list</c>: <c>{"Contacts":[{"Name","Address","Added"}]}</c>, by name.</summary>
public sealed record DioneContacts(IReadOnlyList<DioneContact> Contacts);
