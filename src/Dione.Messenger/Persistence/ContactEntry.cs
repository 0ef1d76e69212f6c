namespace Dione.Messenger.Persistence;

/// <summary>A named contact and the identity key of their Dione address.</summary>
public sealed record ContactEntry(string Name, byte[] IdentityKey, DateTimeOffset Added);
