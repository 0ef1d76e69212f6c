namespace Dione.Kademlia;

/// <summary>A DHT record was refused by its validator.</summary>
public sealed class RecordValidationException : Exception
{
    public RecordValidationException(string message)
        : base(message)
    {
    }

    public RecordValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
