namespace Dione.Kademlia;

/// <summary>Validates DHT records and selects the best of several values for one key.</summary>
public interface IRecordValidator
{
    void Validate(byte[] key, byte[] value);

    int Select(byte[] key, IReadOnlyList<byte[]> values);
}
