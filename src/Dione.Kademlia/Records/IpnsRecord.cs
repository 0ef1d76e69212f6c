using System.Formats.Cbor;
using System.Text;
using Dione.Kademlia.Protos;
using Dione.Libp2p.Identity;
using Google.Protobuf;

namespace Dione.Kademlia.Records;

/// <summary>
/// A well-formed IPNS record (ipfs/specs src/ipns/ipns-record.md): an <c>IpnsEntry</c> protobuf of at most 10 KiB
/// whose <c>data</c> is a strict DAG-CBOR map holding <c>Value</c>, <c>Validity</c>, <c>ValidityType</c> (0, EOL),
/// <c>Sequence</c> and <c>TTL</c>. Parsing checks form only; <see cref="IpnsValidator"/> checks signature, key and
/// expiry.
/// </summary>
public sealed class IpnsRecord
{
    /// <summary>The spec's record size limit in bytes (10 KiB), applied to the serialized <c>IpnsEntry</c>.</summary>
    public const int MaxSize = 10 * 1024;

    /// <summary>The routing key prefix: <c>/ipns/</c> followed by the binary IPNS name (a peer id multihash).</summary>
    public const string KeyPrefix = "/ipns/";

    internal const string ValueKey = "Value";
    internal const string ValidityKey = "Validity";
    internal const string ValidityTypeKey = "ValidityType";
    internal const string SequenceKey = "Sequence";
    internal const string TtlKey = "TTL";

    private static ReadOnlySpan<byte> SignatureV2Prefix => "ipns-signature:"u8;

    private IpnsRecord(
        IpnsEntry entry, byte[] value, ReadOnlyMemory<byte> validityBytes, Rfc3339Timestamp validity, ulong sequence, ulong ttlNanoseconds)
    {
        Entry = entry;
        _value = value;
        ValidityBytes = validityBytes;
        Validity = validity;
        Sequence = sequence;
        TtlNanoseconds = ttlNanoseconds;
    }

    private readonly byte[] _value;

    /// <summary>The signed <c>data[Value]</c>: a content path such as <c>/ipfs/bafy…</c>.</summary>
    public ReadOnlyMemory<byte> Value => _value;

    /// <summary>The signed <c>data[Sequence]</c>.</summary>
    public ulong Sequence { get; }

    /// <summary>The signed <c>data[TTL]</c>, a cache hint in nanoseconds.</summary>
    public ulong TtlNanoseconds { get; }

    /// <summary>The signed end of validity (to 100 ns; the exact nanoseconds are kept for ordering).</summary>
    public DateTimeOffset ValidUntil => Validity.ToDateTimeOffset();

    /// <summary>True when the record carries a non-empty <c>signatureV2</c>.</summary>
    public bool HasSignatureV2 => Entry.SignatureV2.Length != 0;

    internal IpnsEntry Entry { get; }

    internal Rfc3339Timestamp Validity { get; }

    /// <summary>The signed <c>data[Validity]</c> bytes as they were encoded.</summary>
    internal ReadOnlyMemory<byte> ValidityBytes { get; }

    /// <summary>The routing key of <paramref name="name"/>: <c>/ipns/</c> and the peer id's binary multihash.</summary>
    public static byte[] RoutingKey(PeerId name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return [.. Encoding.ASCII.GetBytes(KeyPrefix), .. name.Bytes];
    }

    /// <summary>Parses and checks the form of a serialized <c>IpnsEntry</c>.</summary>
    /// <exception cref="RecordValidationException">oversized, malformed protobuf, missing or malformed DAG-CBOR
    /// data (so V1-only records are refused), missing or mistyped fields, an unknown validity type, a malformed
    /// RFC 3339 validity, or a negative sequence or TTL.</exception>
    public static IpnsRecord Parse(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length > MaxSize)
        {
            throw new RecordValidationException($"IPNS record of {encoded.Length} bytes exceeds {MaxSize}");
        }
        IpnsEntry entry;
        try
        {
            entry = IpnsEntry.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RecordValidationException("malformed IPNS record protobuf", e);
        }
        if (entry.Data.Length == 0)
        {
            throw new RecordValidationException("IPNS record lacks DAG-CBOR data (V1-only records are refused)");
        }
        IReadOnlyDictionary<string, ReadOnlyMemory<byte>> data;
        try
        {
            data = DagCborReader.ReadMap(entry.Data.Memory);
        }
        catch (FormatException e)
        {
            throw new RecordValidationException("IPNS record data is not strict DAG-CBOR: " + e.Message, e);
        }
        var value = BytesField(data, ValueKey);
        var validityBytes = BytesField(data, ValidityKey);
        var validityType = IntegerField(data, ValidityTypeKey);
        var sequence = IntegerField(data, SequenceKey);
        var ttl = IntegerField(data, TtlKey);
        if (validityType != (long)IpnsEntry.Types.ValidityType.Eol)
        {
            throw new RecordValidationException($"IPNS record has unrecognized validity type {validityType}");
        }
        Rfc3339Timestamp validity;
        try
        {
            validity = Rfc3339Timestamp.Parse(validityBytes);
        }
        catch (FormatException e)
        {
            throw new RecordValidationException("IPNS record validity is not an RFC 3339 time", e);
        }
        if (sequence < 0 || ttl < 0)
        {
            throw new RecordValidationException("IPNS record has a negative sequence or TTL");
        }
        return new IpnsRecord(entry, value, validityBytes, validity, (ulong)sequence, (ulong)ttl);
    }

    /// <summary>
    /// Creates and signs a record as boxo's <c>ipns.NewRecord</c> does: DAG-CBOR data signed with signatureV2 and, when
    /// <paramref name="v1Compatible"/>, the legacy V1 copies and signatureV1. The public key is embedded when the
    /// peer id does not inline it (RSA, ECDSA) unless <paramref name="embedPublicKey"/> says otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">a sequence beyond 2^63 - 1, or a TTL that is negative or
    /// beyond 2^63 - 1 nanoseconds.</exception>
    /// <exception cref="ArgumentException">a record larger than <see cref="MaxSize"/>.</exception>
    public static byte[] Create(
        PrivateKey key,
        ReadOnlySpan<byte> value,
        ulong sequence,
        DateTimeOffset validUntil,
        TimeSpan ttl,
        bool v1Compatible = true,
        bool? embedPublicKey = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, (ulong)long.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ttl.Ticks, long.MaxValue / 100, nameof(ttl));
        var validity = Encoding.ASCII.GetBytes(Rfc3339Timestamp.FromDateTimeOffset(validUntil).ToString());
        var ttlNanoseconds = (ulong)ttl.Ticks * 100;
        var data = EncodeData(value, validity, sequence, ttlNanoseconds);
        var entry = new IpnsEntry
        {
            Data = ByteString.CopyFrom(data),
            SignatureV2 = ByteString.CopyFrom(key.Sign(SignatureV2Payload(data))),
        };
        if (v1Compatible)
        {
            entry.Value = ByteString.CopyFrom(value);
            entry.Validity = ByteString.CopyFrom(validity);
            entry.ValidityType = IpnsEntry.Types.ValidityType.Eol;
            entry.Sequence = sequence;
            entry.Ttl = ttlNanoseconds;
            entry.SignatureV1 = ByteString.CopyFrom(key.Sign(SignatureV1Payload(entry)));
        }
        var peerId = PeerId.FromPublicKey(key.PublicKey);
        if (embedPublicKey ?? peerId.TryGetPublicKey() is null)
        {
            entry.PubKey = ByteString.CopyFrom(key.PublicKey.ToProtobuf());
        }
        var encoded = entry.ToByteArray();
        if (encoded.Length > MaxSize)
        {
            throw new ArgumentException($"IPNS record of {encoded.Length} bytes exceeds {MaxSize}", nameof(value));
        }
        return encoded;
    }

    /// <summary>The bytes signatureV2 signs: <c>ipns-signature:</c> followed by the raw DAG-CBOR data.</summary>
    internal static byte[] SignatureV2Payload(ReadOnlySpan<byte> data) => [.. SignatureV2Prefix, .. data];

    /// <summary>The legacy bytes signatureV1 signs: value, validity and the validity type's name (<c>EOL</c>).</summary>
    internal static byte[] SignatureV1Payload(IpnsEntry entry) =>
        [.. entry.Value.Span, .. entry.Validity.Span, .. Encoding.ASCII.GetBytes(ValidityTypeName(entry.ValidityType))];

    /// <summary>The name Go's protobuf enum prints (and js-ipns uses) for a validity type, or its number.</summary>
    private static string ValidityTypeName(IpnsEntry.Types.ValidityType type) =>
        type == IpnsEntry.Types.ValidityType.Eol ? "EOL" : ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The DAG-CBOR map; canonical CBOR sorts its keys as DAG-CBOR does: TTL, Value, Sequence, Validity, ValidityType.</summary>
    internal static byte[] EncodeData(ReadOnlySpan<byte> value, ReadOnlySpan<byte> validity, ulong sequence, ulong ttlNanoseconds)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(5);
        writer.WriteTextString(TtlKey);
        writer.WriteUInt64(ttlNanoseconds);
        writer.WriteTextString(ValueKey);
        writer.WriteByteString(value);
        writer.WriteTextString(SequenceKey);
        writer.WriteUInt64(sequence);
        writer.WriteTextString(ValidityKey);
        writer.WriteByteString(validity);
        writer.WriteTextString(ValidityTypeKey);
        writer.WriteUInt64((ulong)IpnsEntry.Types.ValidityType.Eol);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static byte[] BytesField(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> data, string name)
    {
        var field = FieldReader(data, name);
        return field.PeekState() == CborReaderState.ByteString
            ? field.ReadByteString()
            : throw new RecordValidationException($"IPNS record data field {name} is not bytes");
    }

    /// <remarks>The reader has already refused integers beyond 64-bit signed range.</remarks>
    private static long IntegerField(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> data, string name)
    {
        var field = FieldReader(data, name);
        return field.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger
            ? field.ReadInt64()
            : throw new RecordValidationException($"IPNS record data field {name} is not integer");
    }

    private static CborReader FieldReader(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> data, string name) =>
        data.TryGetValue(name, out var encoded)
            ? new CborReader(encoded)
            : throw new RecordValidationException($"IPNS record data lacks {name}");
}
