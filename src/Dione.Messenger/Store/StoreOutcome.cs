using Dione.Messenger.Protos;

namespace Dione.Messenger.Store;

/// <summary>The answer to a STORE or DELETE: a status and, for a refusal, why.</summary>
public readonly record struct StoreOutcome(StoreResponse.Types.Status Status, string Reason)
{
    public static StoreOutcome Ok { get; } = new(StoreResponse.Types.Status.Ok, string.Empty);

    public bool IsOk => Status == StoreResponse.Types.Status.Ok;

    public static StoreOutcome Refused(StoreResponse.Types.Status status, string reason) => new(status, reason);
}
