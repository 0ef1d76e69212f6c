namespace Dione.Cli.Api.Models;

/// <summary>
/// One received message: its inbox <c>Id</c> (increasing in the order messages arrived), the sender's contact name
/// (or Dione address when the sender is not a contact), the body as UTF-8 text, and when it was sent (the sender's
/// clock) and received (this node's clock).
/// </summary>
public sealed record DioneMessage(long Id, string From, string Text, DateTimeOffset Sent, DateTimeOffset Received);
