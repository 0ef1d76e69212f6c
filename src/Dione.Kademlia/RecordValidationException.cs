namespace Dione.Kademlia;

/// <summary>A value record failed validation, or no record could be selected.</summary>
public sealed class RecordValidationException : Exception
{
    public RecordValidationException()
    {
    }

    public RecordValidationException(string message)
        : base(message)
    {
    }

    public RecordValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
