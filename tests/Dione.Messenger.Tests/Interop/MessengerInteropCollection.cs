namespace Dione.Messenger.Tests.Interop;

/// <summary>Interop tests run one at a time: each starts node processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MessengerInteropCollection
{
    public const string Name = "messenger-interop";
}
