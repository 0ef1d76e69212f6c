namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>
/// A validator for tests: keys must start with <c>/test/</c>, values must be non-empty and not start with 'x';
/// the lexicographically greatest value is best (the first of equals).
/// </summary>
internal sealed class TestValidator : IRecordValidator
{
    public static readonly byte[] Prefix = "/test/"u8.ToArray();

    public void Validate(byte[] key, byte[] value)
    {
        if (!key.AsSpan().StartsWith(Prefix))
        {
            throw new RecordValidationException("not a /test/ key");
        }
        if (value.Length == 0 || value[0] == (byte)'x')
        {
            throw new RecordValidationException("invalid value");
        }
    }

    public int Select(byte[] key, IReadOnlyList<byte[]> values)
    {
        if (values.Count == 0)
        {
            throw new RecordValidationException("nothing to select");
        }
        var best = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i].AsSpan().SequenceCompareTo(values[best]) > 0)
            {
                best = i;
            }
        }
        return best;
    }
}
