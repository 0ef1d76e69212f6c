using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Records;

/// <summary>
/// The <c>/ipns/</c> namespace per ipfs/specs "Record Verification", with boxo/ipns's behaviour: the key is
/// <c>/ipns/</c> and a binary peer id; the record must be well-formed (<see cref="IpnsRecord.Parse"/>), carry a
/// signatureV2 over <c>ipns-signature:</c> and its DAG-CBOR data made by the key in <c>pubKey</c> (which must hash to
/// the name) or inlined in the name; any legacy V1 fields must equal the signed data (signatureV1 itself is never
/// checked, and V1-only records are refused as boxo does since 2023); and its EOL must not be past.
/// Selection prefers a signatureV2, then the highest sequence, then the latest validity, then the larger bytes.
/// </summary>
public sealed class IpnsValidator : IRecordValidator
{
    /// <summary>The namespace this validator serves.</summary>
    public const string Namespace = "ipns";

    private readonly TimeProvider _time;
    private readonly Func<PeerId, PublicKey?>? _publicKeyLookup;

    /// <param name="timeProvider">the clock that decides expiry; the system clock by default.</param>
    /// <param name="publicKeyLookup">where to find the key of a name that neither inlines it nor has it embedded in
    /// the record (kubo asks its peerstore, as boxo's <c>Validator.KeyBook</c>); none by default.</param>
    public IpnsValidator(TimeProvider? timeProvider = null, Func<PeerId, PublicKey?>? publicKeyLookup = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _publicKeyLookup = publicKeyLookup;
    }

    /// <exception cref="RecordValidationException">the record is malformed, forged, inconsistent or expired, or the key
    /// is not a valid IPNS routing key.</exception>
    public void Validate(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var name = ParseName(key);
        var record = IpnsRecord.Parse(value);
        if (!record.HasSignatureV2)
        {
            throw new RecordValidationException("IPNS record lacks signatureV2");
        }
        var publicKey = ExtractPublicKey(record, name);
        if (record.Entry.SignatureV1.Length != 0 || record.Entry.Value.Length != 0)
        {
            CheckV1FieldsMatch(record);
        }
        if (Rfc3339Timestamp.FromDateTimeOffset(_time.GetUtcNow()) > record.Validity)
        {
            throw new RecordValidationException("IPNS record is expired");
        }

        // Last, so that a record refused on cheaper grounds costs no cryptography; the verdict is the spec's either way.
        if (!publicKey.Verify(IpnsRecord.SignatureV2Payload(record.Entry.Data.Span), record.Entry.SignatureV2.Span))
        {
            throw new RecordValidationException("IPNS record signatureV2 does not verify");
        }
    }

    /// <summary>The index of the best record; values are expected to have passed <see cref="Validate"/>.</summary>
    /// <exception cref="RecordValidationException">no values, or a value that is not a well-formed IPNS record.</exception>
    public int Select(byte[] key, IReadOnlyList<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new RecordValidationException("no values to select from");
        }
        var best = 0;
        var bestRecord = IpnsRecord.Parse(values[0]);
        for (var i = 1; i < values.Count; i++)
        {
            var candidate = IpnsRecord.Parse(values[i]);
            var order = Compare(candidate, bestRecord);
            if (order == 0)
            {
                order = values[i].AsSpan().SequenceCompareTo(values[best]);
            }
            if (order > 0)
            {
                best = i;
                bestRecord = candidate;
            }
        }
        return best;
    }

    private static int Compare(IpnsRecord a, IpnsRecord b)
    {
        if (a.HasSignatureV2 != b.HasSignatureV2)
        {
            return a.HasSignatureV2 ? 1 : -1;
        }
        var bySequence = a.Sequence.CompareTo(b.Sequence);
        return bySequence != 0 ? bySequence : a.Validity.CompareTo(b.Validity);
    }

    private static PeerId ParseName(byte[] key)
    {
        if (!RecordKey.TrySplit(key, out var ns, out var name) || !ns.SequenceEqual("ipns"u8))
        {
            throw new RecordValidationException("key is not in the /ipns/ namespace");
        }
        try
        {
            return PeerId.FromBytes(name);
        }
        catch (FormatException e)
        {
            throw new RecordValidationException("IPNS key does not hold a valid peer id", e);
        }
    }

    private PublicKey ExtractPublicKey(IpnsRecord record, PeerId name)
    {
        if (record.Entry.PubKey.Length == 0)
        {
            var known = name.TryGetPublicKey() ?? _publicKeyLookup?.Invoke(name);
            return known is not null && PeerId.FromPublicKey(known) == name
                ? known
                : throw new RecordValidationException("IPNS record lacks the public key its name does not inline");
        }
        PublicKey embedded;
        try
        {
            embedded = PublicKey.FromProtobuf(record.Entry.PubKey.Span);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new RecordValidationException("IPNS record public key is invalid", e);
        }
        if (PeerId.FromPublicKey(embedded) != name)
        {
            throw new RecordValidationException("IPNS record public key does not match its name");
        }
        return embedded;
    }

    /// <summary>The spec's step 7: V1 copies, absent ones read as empty or zero as Go's getters do.</summary>
    private static void CheckV1FieldsMatch(IpnsRecord record)
    {
        var entry = record.Entry;
        if (!entry.Value.Span.SequenceEqual(record.Value.Span)
            || !entry.Validity.Span.SequenceEqual(record.ValidityBytes.Span)
            || entry.ValidityType != Protos.IpnsEntry.Types.ValidityType.Eol
            || entry.Sequence != record.Sequence
            || entry.Ttl != record.TtlNanoseconds)
        {
            throw new RecordValidationException("IPNS record V1 fields do not match its signed data");
        }
    }
}
