namespace Dione.Messaging.Ratchet;

/// <summary>Where a pending address points: a skipped key, the current receiving chain, or the peer's next chain, and the message number.</summary>
internal enum PendingKind
{
    Skipped,
    CurrentChain,
    NextChain,
}
