namespace Dione.Cli.Api.Models;

/// <summary>
/// <c>dione/send</c>: the message's outbox <c>Id</c>, and how many holders acknowledged its first store
/// (<c>Stored</c>) of how many were wanted (<c>Wanted</c>). Fewer is not a failure: the message is committed and the
/// daemon retries until enough holders have it.
/// </summary>
public sealed record DioneSendOutput(long Id, string Contact, int Stored, int Wanted);
