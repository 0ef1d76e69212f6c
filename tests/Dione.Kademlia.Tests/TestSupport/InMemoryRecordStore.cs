using System.Collections.Concurrent;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>A dictionary-backed <see cref="IRecordStore"/> for tests.</summary>
internal sealed class InMemoryRecordStore : IRecordStore
{
    private readonly ConcurrentDictionary<string, Record> _records = new();

    public int Count => _records.Count;

    public Task<Record?> GetAsync(byte[] key, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryGetValue(Convert.ToHexString(key), out var record) ? record.Clone() : null);

    public Task PutAsync(Record record, CancellationToken cancellationToken)
    {
        _records[Convert.ToHexString(record.Key.Span)] = record.Clone();
        return Task.CompletedTask;
    }
}
