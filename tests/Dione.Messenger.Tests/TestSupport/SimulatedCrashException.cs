namespace Dione.Messenger.Tests.TestSupport;

/// <summary>Thrown by a test's mailbox to stop a messenger at a chosen moment, as if its process died there.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("simulated crash")
    {
    }
}
