namespace Dione.Messaging.X3dh;

/// <summary>A responder refused an initial message; <see cref="Reason"/> says why. No state was changed.</summary>
public sealed class X3dhRejectedException : Exception
{
    public X3dhRejectedException()
        : this(X3dhRejection.Malformed, "X3DH initial message refused")
    {
    }

    public X3dhRejectedException(string message)
        : this(X3dhRejection.Malformed, message)
    {
    }

    public X3dhRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = X3dhRejection.Malformed;
    }

    public X3dhRejectedException(X3dhRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public X3dhRejection Reason { get; }
}
