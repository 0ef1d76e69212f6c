namespace Dione.Kademlia.Records;

/// <summary>
/// A record or provider store refused a write that would break one of its bounds (entry count, total bytes,
/// key length, value size) even after expired entries were pruned. It is an <see cref="IOException"/>, the family of
/// a full disk, so a server that resets a stream on I/O failure treats a full store the same way.
/// </summary>
public sealed class StoreLimitException : IOException
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
