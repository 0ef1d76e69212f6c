using Dione.Messaging.Sessions;

namespace Dione.Messaging.Tests.Sessions;

/// <summary>A sealed message plus whether it has been opened yet, for tests that deliver out of order.</summary>
internal sealed class SealedMessageHolder(SealedMessage message)
{
    public SealedMessage Message { get; } = message;
    public bool Opened { get; set; }
}
