namespace Dione.Kademlia;

/// <summary>
/// Where a DHT server keeps value records (PUT_VALUE / GET_VALUE). Records arrive already validated and selected
/// against the stored one by <see cref="KadServer"/>, with <c>timeReceived</c> stamped; the store only keeps them
/// (and may expire them).
/// </summary>
public interface IRecordStore
{
    /// <summary>The record stored under <paramref name="key"/>, or null.</summary>
    Task<Protos.Record?> GetAsync(byte[] key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="record"/> under its own key, replacing any record there.</summary>
    Task PutAsync(Protos.Record record, CancellationToken cancellationToken);
}
