namespace Dione.Kademlia;

/// <summary>
/// Validates and orders value records, as the spec's <c>Validator</c> (specs/kad-dht "Entry validation").
/// Both methods are pure functions of their arguments.
/// </summary>
public interface IRecordValidator
{
    /// <summary>Checks that <paramref name="value"/> is a valid record for <paramref name="key"/>.</summary>
    /// <exception cref="RecordValidationException">the record is invalid (bad signature, expired, unknown namespace…).</exception>
    void Validate(byte[] key, byte[] value);

    /// <summary>The index of the best of <paramref name="values"/> (all valid for <paramref name="key"/>); stable for equal values.</summary>
    /// <exception cref="RecordValidationException">no value can be chosen.</exception>
    int Select(byte[] key, IReadOnlyList<byte[]> values);
}
