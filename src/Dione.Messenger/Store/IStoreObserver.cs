using Dione.Messenger.Protos;

namespace Dione.Messenger.Store;

/// <summary>
/// Test-only: told of every STORE request a holder answers, refused ones included, just before the answer is sent
/// (a soak run checks from these that no address ever carried two different envelopes). Called on the store's
/// request path, so it must be quick and thread-safe.
/// </summary>
public interface IStoreObserver
{
    /// <param name="envelope">The envelope bytes of the request, as received (possibly empty or not an envelope at all).</param>
    /// <param name="response">The answer: <see cref="StoreResponse.Types.Status.Ok"/> or the refusal.</param>
    void StoreAnswered(ReadOnlyMemory<byte> envelope, StoreResponse response);
}
