namespace Dione.Messaging.Ratchet;

/// <summary>
/// The envelope's address is not among the session's pending addresses: a replay of an envelope already opened
/// (its address and key were deleted on opening), or an envelope this session never expected.
/// </summary>
public sealed class AddressNotPendingException : MessageRejectedException
{
    public AddressNotPendingException(string message) : base(message)
    {
    }
}
