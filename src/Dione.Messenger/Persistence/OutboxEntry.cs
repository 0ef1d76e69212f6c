namespace Dione.Messenger.Persistence;

/// <summary>An envelope waiting until enough holders acknowledged it.</summary>
public sealed record OutboxEntry(long Id, string Contact, byte[] Address, byte[] Envelope, DateTimeOffset Created, int Acknowledgements, int Attempts);
