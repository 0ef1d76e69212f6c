using Dione.Kademlia;
using Dione.Kademlia.Protos;

namespace Dione.Benchmarks.Dht;

/// <summary>Holds nothing: the DHT benchmark only sends FIND_NODE.</summary>
internal sealed class EmptyRecordStore : IRecordStore
{
    public Task<Record?> GetAsync(byte[] key, CancellationToken cancellationToken) => Task.FromResult<Record?>(null);

    public Task PutAsync(Record record, CancellationToken cancellationToken) =>
        throw new KadProtocolException("the benchmark's nodes store no records");
}
