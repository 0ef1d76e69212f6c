namespace Dione.Kademlia;

/// <summary>Holds the DHT value records this node serves.</summary>
public interface IRecordStore
{
    Task<Protos.Record?> GetAsync(byte[] key, CancellationToken cancellationToken);

    Task PutAsync(Protos.Record record, CancellationToken cancellationToken);
}
