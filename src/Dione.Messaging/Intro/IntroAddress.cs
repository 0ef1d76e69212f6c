namespace Dione.Messaging.Intro;

/// <summary>One intro mailbox: the period it belongs to, the slot within it, and the 32-byte address.</summary>
public sealed record IntroAddress(ulong Period, ushort Slot, byte[] Address);
