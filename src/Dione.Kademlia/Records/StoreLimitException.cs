namespace Dione.Kademlia.Records;

/// <summary>
/// A record or provider store refused a write that would break one of its bounds (entry count, total bytes,
/// key length, value size) even after expired entries were pruned.
/// </summary>
public sealed class StoreLimitException : Exception
{
    public StoreLimitException(string message)
        : base(message)
    {
    }

    public StoreLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
