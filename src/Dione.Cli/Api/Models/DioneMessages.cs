namespace Dione.Cli.Api.Models;

/// <summary><c>dione/inbox</c>: <c>{"Messages":[…]}</c> in the order they arrived.</summary>
public sealed record DioneMessages(IReadOnlyList<DioneMessage> Messages);
