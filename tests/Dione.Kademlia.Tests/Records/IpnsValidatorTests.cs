using System.Formats.Cbor;
using System.Text;
using Dione.Kademlia.Protos;
using Dione.Kademlia.Records;
using Dione.Libp2p.Identity;
using Google.Protobuf;

namespace Dione.Kademlia.Tests.Records;

public class IpnsValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] TestValue = Encoding.ASCII.GetBytes("/ipfs/bafkqac3jobxhgidsn5rww4yk");

    private static readonly IpnsValidator Validator = new(new ManualTimeProvider(Now));

    private static byte[] KeyOf(IpnsFixtures.Fixture fixture) => IpnsRecord.RoutingKey(PeerId.Parse(fixture.Name));

    private static byte[] KeyOf(PrivateKey key) => IpnsRecord.RoutingKey(PeerId.FromPublicKey(key.PublicKey));

    private static byte[] Create(PrivateKey key, ulong sequence = 1, TimeSpan? lifetime = null, bool v1 = true) =>
        IpnsRecord.Create(key, TestValue, sequence, Now + (lifetime ?? TimeSpan.FromHours(1)), TimeSpan.FromMinutes(5), v1);

    private static byte[] Mutate(byte[] record, Action<IpnsEntry> change)
    {
        var entry = IpnsEntry.Parser.ParseFrom(record);
        change(entry);
        return entry.ToByteArray();
    }

    /// <summary>A V2-only record whose hand-written DAG-CBOR data is properly signed.</summary>
    private static byte[] SignedWithData(PrivateKey key, string dataHex)
    {
        var data = Convert.FromHexString(dataHex);
        return new IpnsEntry
        {
            Data = ByteString.CopyFrom(data),
            SignatureV2 = ByteString.CopyFrom(key.Sign(IpnsRecord.SignatureV2Payload(data))),
        }.ToByteArray();
    }

    private static string Text(string s) => Convert.ToHexString(Encoding.ASCII.GetBytes(s));

    [Theory]
    [InlineData("v1", false)]
    [InlineData("v1-v2", true)]
    [InlineData("v1-v2-broken-v1-value", false)]
    [InlineData("v1-v2-broken-signature-v2", false)]
    [InlineData("v1-v2-broken-signature-v1", true)]
    [InlineData("v2", true)]
    public void Spec_test_vectors_verify_as_the_spec_says(string label, bool valid)
    {
        var fixture = IpnsFixtures.Get(label);

        if (valid)
        {
            Validator.Validate(KeyOf(fixture), fixture.Bytes);
        }
        else
        {
            Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(fixture), fixture.Bytes));
        }
    }

    [Theory]
    [InlineData("v1", "lacks DAG-CBOR data")]
    [InlineData("v1-v2-broken-v1-value", "V1 fields do not match")]
    [InlineData("v1-v2-broken-signature-v2", "signatureV2 does not verify")]
    public void Spec_test_vectors_fail_for_the_spec_reason(string label, string reason)
    {
        var fixture = IpnsFixtures.Get(label);

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(fixture), fixture.Bytes));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1-v2", "/ipfs/bafkqaddwgevxmmraojswg33smq")]
    [InlineData("v1-v2-broken-signature-v1", "/ipfs/bafkqahtwgevxmmrao5uxi2bamjzg623fnyqhg2lhnzqxi5lsmuqhmmi")]
    public void Spec_test_vectors_carry_the_spec_values(string label, string value)
    {
        var record = IpnsRecord.Parse(IpnsFixtures.Get(label).Bytes);

        Assert.Equal(value, Encoding.ASCII.GetString(record.Value.Span));
        Assert.Equal(0UL, record.Sequence);
        Assert.Equal(new DateTimeOffset(2123, 8, 14, 12, 17, 3, TimeSpan.Zero).AddTicks(6_940_520), record.ValidUntil);
        Assert.Equal(1_800_000_000_000UL, record.TtlNanoseconds);
    }

    [Fact]
    public void Every_gateway_conformance_record_is_valid()
    {
        var gatewayRecords = IpnsFixtures.All.Where(f => f.Label.Length == 0).ToList();
        Assert.Equal(8, gatewayRecords.Count);

        foreach (var fixture in gatewayRecords)
        {
            Validator.Validate(KeyOf(fixture), fixture.Bytes);
        }
    }

    [Fact]
    public void An_rsa_name_is_verified_with_the_embedded_key_that_hashes_to_it()
    {
        var fixture = IpnsFixtures.All.Single(f => f.Name.StartsWith("Qm", StringComparison.Ordinal));
        var entry = IpnsEntry.Parser.ParseFrom(fixture.Bytes);

        Assert.Equal(KeyType.Rsa, PublicKey.FromProtobuf(entry.PubKey.Span).Type);
        Validator.Validate(KeyOf(fixture), fixture.Bytes);
    }

    [Fact]
    public void Our_signature_v1_payload_is_the_one_legacy_signers_used()
    {
        // The spec's vector 4 has a broken signatureV2 but a good signatureV1 over value + validity + "EOL".
        var fixture = IpnsFixtures.Get("v1-v2-broken-signature-v2");
        var entry = IpnsEntry.Parser.ParseFrom(fixture.Bytes);
        var key = PeerId.Parse(fixture.Name).TryGetPublicKey()!;

        Assert.True(key.Verify(IpnsRecord.SignatureV1Payload(entry), entry.SignatureV1.Span));
    }

    [Fact]
    public void Our_dag_cbor_encoding_of_the_fields_is_byte_identical_to_boxos()
    {
        foreach (var fixture in IpnsFixtures.All.Where(f => f.Label != "v1"))
        {
            var record = IpnsRecord.Parse(fixture.Bytes);

            var encoded = IpnsRecord.EncodeData(record.Value.Span, record.ValidityBytes.Span, record.Sequence, record.TtlNanoseconds);

            Assert.Equal(record.Entry.Data.ToByteArray(), encoded);
        }
    }

    [Theory]
    [InlineData(KeyType.Ed25519, true, false)]
    [InlineData(KeyType.Ed25519, false, false)]
    [InlineData(KeyType.Secp256k1, true, false)]
    [InlineData(KeyType.Ecdsa, true, true)]
    [InlineData(KeyType.Ecdsa, false, true)]
    [InlineData(KeyType.Rsa, true, true)]
    public void Records_we_create_validate(KeyType type, bool v1Compatible, bool embedsKey)
    {
        var key = PrivateKey.Generate(type);

        var bytes = Create(key, sequence: 7, v1: v1Compatible);

        Validator.Validate(KeyOf(key), bytes);
        var record = IpnsRecord.Parse(bytes);
        Assert.Equal(7UL, record.Sequence);
        Assert.Equal(TestValue, record.Value.ToArray());
        Assert.Equal(Now + TimeSpan.FromHours(1), record.ValidUntil);
        Assert.Equal(300_000_000_000UL, record.TtlNanoseconds);
        Assert.Equal(embedsKey, record.Entry.PubKey.Length != 0);
        Assert.Equal(v1Compatible, record.Entry.SignatureV1.Length != 0);
        Assert.Equal(v1Compatible, record.Entry.HasSequence);
    }

    [Fact]
    public void A_record_is_valid_until_its_eol_and_expired_after()
    {
        var key = PrivateKey.Generate();
        var clock = new ManualTimeProvider(Now);
        var validator = new IpnsValidator(clock);
        var bytes = Create(key, lifetime: TimeSpan.FromHours(1));

        clock.Advance(TimeSpan.FromHours(1));
        validator.Validate(KeyOf(key), bytes);
        clock.Advance(TimeSpan.FromTicks(1));

        var error = Assert.Throws<RecordValidationException>(() => validator.Validate(KeyOf(key), bytes));
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampering_with_the_signed_data_breaks_signature_v2()
    {
        var key = PrivateKey.Generate();
        var tampered = Mutate(Create(key, v1: false), entry =>
        {
            var data = entry.Data.ToByteArray();
            var at = data.AsSpan().IndexOf("bafkq"u8);
            data[at] = (byte)'c';
            entry.Data = ByteString.CopyFrom(data);
        });

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), tampered));

        Assert.Contains("signatureV2 does not verify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("value")]
    [InlineData("validity")]
    [InlineData("validityType")]
    [InlineData("sequence")]
    [InlineData("ttl")]
    [InlineData("missing validity")]
    public void V1_fields_that_differ_from_the_signed_data_are_refused(string field)
    {
        var key = PrivateKey.Generate();
        var tampered = Mutate(Create(key), entry =>
        {
            switch (field)
            {
                case "value": entry.Value = ByteString.CopyFromUtf8("/ipfs/other"); break;
                case "validity": entry.Validity = ByteString.CopyFromUtf8("2999-01-01T00:00:00Z"); break;
                case "validityType": entry.ValidityType = (IpnsEntry.Types.ValidityType)1; break;
                case "sequence": entry.Sequence = 2; break;
                case "ttl": entry.Ttl = 1; break;
                default: entry.ClearValidity(); break;
            }
        });

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), tampered));

        Assert.Contains("V1 fields do not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_v1_is_never_checked()
    {
        var key = PrivateKey.Generate();

        Validator.Validate(KeyOf(key), Mutate(Create(key), entry => entry.SignatureV1 = ByteString.CopyFromUtf8("garbage")));
        Validator.Validate(KeyOf(key), Mutate(Create(key), entry => entry.ClearSignatureV1()));
    }

    [Fact]
    public void Records_without_signature_v2_or_data_are_refused()
    {
        var key = PrivateKey.Generate();
        var noSignature = Mutate(Create(key), entry => entry.ClearSignatureV2());
        var v1Only = Mutate(Create(key), entry =>
        {
            entry.ClearSignatureV2();
            entry.ClearData();
        });

        Assert.Contains("lacks signatureV2", Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), noSignature)).Message, StringComparison.Ordinal);
        Assert.Contains("V1-only", Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), v1Only)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_signed_by_another_key_is_refused()
    {
        var owner = PrivateKey.Generate();
        var other = PrivateKey.Generate();

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(owner), Create(other)));

        Assert.Contains("signatureV2 does not verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedded_key_must_hash_to_the_name_and_parse()
    {
        var owner = PrivateKey.Generate(KeyType.Ecdsa);
        var other = PrivateKey.Generate(KeyType.Ecdsa);
        var record = Create(owner);

        var wrongKey = Mutate(record, entry => entry.PubKey = ByteString.CopyFrom(other.PublicKey.ToProtobuf()));
        var garbageKey = Mutate(record, entry => entry.PubKey = ByteString.CopyFromUtf8("probably not a public key"));
        var noKey = Mutate(record, entry => entry.ClearPubKey());

        Assert.Contains("does not match its name", Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(owner), wrongKey)).Message, StringComparison.Ordinal);
        Assert.Contains("public key is invalid", Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(owner), garbageKey)).Message, StringComparison.Ordinal);
        Assert.Contains("lacks the public key", Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(owner), noKey)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_neither_inlined_nor_embedded_may_come_from_a_lookup_that_matches_the_name()
    {
        var owner = PrivateKey.Generate(KeyType.Ecdsa);
        var other = PrivateKey.Generate(KeyType.Ecdsa);
        var bytes = IpnsRecord.Create(owner, TestValue, 1, Now.AddHours(1), TimeSpan.Zero, embedPublicKey: false);
        var clock = new ManualTimeProvider(Now);

        new IpnsValidator(clock, _ => owner.PublicKey).Validate(KeyOf(owner), bytes);
        Assert.Throws<RecordValidationException>(() => new IpnsValidator(clock, _ => other.PublicKey).Validate(KeyOf(owner), bytes));
        Assert.Throws<RecordValidationException>(() => new IpnsValidator(clock, _ => null).Validate(KeyOf(owner), bytes));
    }

    [Fact]
    public void An_inlined_key_may_also_be_embedded_if_it_matches()
    {
        var key = PrivateKey.Generate();

        var bytes = IpnsRecord.Create(key, TestValue, 1, Now.AddHours(1), TimeSpan.Zero, embedPublicKey: true);

        Assert.NotEqual(0, IpnsRecord.Parse(bytes).Entry.PubKey.Length);
        Validator.Validate(KeyOf(key), bytes);
    }

    [Fact]
    public void Records_over_10_kib_are_refused()
    {
        var key = PrivateKey.Generate();

        Assert.Throws<ArgumentException>(() => IpnsRecord.Create(key, new byte[IpnsRecord.MaxSize], 1, Now.AddHours(1), TimeSpan.Zero));

        var padded = Mutate(Create(key), entry => entry.Value = ByteString.CopyFrom(new byte[IpnsRecord.MaxSize]));
        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), padded));
        Assert.Contains("exceeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_of_exactly_10_kib_is_accepted()
    {
        var key = PrivateKey.Generate();
        var overhead = IpnsRecord.Create(key, [], 1, Now.AddHours(1), TimeSpan.Zero, v1Compatible: false).Length;
        var value = new byte[IpnsRecord.MaxSize - overhead - 4];
        byte[] bytes;
        do
        {
            bytes = IpnsRecord.Create(key, value, 1, Now.AddHours(1), TimeSpan.Zero, v1Compatible: false);
            value = new byte[value.Length + 1];
        }
        while (bytes.Length < IpnsRecord.MaxSize);

        Assert.Equal(IpnsRecord.MaxSize, bytes.Length);
        Validator.Validate(KeyOf(key), bytes);
    }

    /// <summary>DAG-CBOR map hex from fields in the order given (not sorted), each value as raw CBOR hex.</summary>
    private static string Data(params (string Key, string ValueHex)[] fields)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartMap(fields.Length);
        foreach (var (key, value) in fields)
        {
            writer.WriteTextString(key);
            writer.WriteEncodedValue(Convert.FromHexString(value));
        }
        writer.WriteEndMap();
        return Convert.ToHexString(writer.Encode());
    }

    private static readonly string Validity = "54" + Text("2999-01-01T00:00:00Z");

    [Theory]
    [InlineData("TTL=-1", "negative")]
    [InlineData("Sequence=-1", "negative")]
    [InlineData("TTL=text", "TTL is not integer")]
    [InlineData("Value=text", "Value is not bytes")]
    [InlineData("Validity=text", "Validity is not bytes")]
    [InlineData("Sequence=2^64-1", "strict DAG-CBOR")]
    [InlineData("no Value", "lacks Value")]
    [InlineData("no TTL", "lacks TTL")]
    [InlineData("ValidityType=1", "unrecognized validity type")]
    [InlineData("Validity=garbage", "not an RFC 3339 time")]
    [InlineData("not a map", "strict DAG-CBOR")]
    public void Properly_signed_data_with_bad_fields_is_refused(string change, string reason)
    {
        var fields = new List<(string Key, string ValueHex)>
        {
            ("TTL", "00"), ("Value", "422f78"), ("Sequence", "01"), ("Validity", Validity), ("ValidityType", "00"),
        };
        void Set(string key, string value) => fields[fields.FindIndex(f => f.Key == key)] = (key, value);
        switch (change)
        {
            case "TTL=-1": Set("TTL", "20"); break;
            case "Sequence=-1": Set("Sequence", "20"); break;
            case "TTL=text": Set("TTL", "6130"); break;
            case "Value=text": Set("Value", "622f78"); break;
            case "Validity=text": Set("Validity", "74" + Text("2999-01-01T00:00:00Z")); break;
            case "Sequence=2^64-1": Set("Sequence", "1bffffffffffffffff"); break;
            case "no Value": fields.RemoveAll(f => f.Key == "Value"); break;
            case "no TTL": fields.RemoveAll(f => f.Key == "TTL"); break;
            case "ValidityType=1": Set("ValidityType", "01"); break;
            case "Validity=garbage": Set("Validity", "43616263"); break;
            default: break;
        }
        var data = change == "not a map" ? "8100" : Data([.. fields]);
        var key = PrivateKey.Generate();

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), SignedWithData(key, data)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hand_written_canonical_data_validates_and_extra_signed_fields_are_ignored()
    {
        var key = PrivateKey.Generate();

        var plain = Data(("TTL", "00"), ("Value", "422f78"), ("Sequence", "01"), ("Validity", Validity), ("ValidityType", "00"));
        var extra = Data(("TTL", "00"), ("Value", "422f78"), ("_meta", "a1616b80"), ("Sequence", "01"), ("Validity", Validity), ("ValidityType", "00"));

        Validator.Validate(KeyOf(key), SignedWithData(key, plain));
        Validator.Validate(KeyOf(key), SignedWithData(key, extra));
    }

    [Fact]
    public void Data_with_keys_out_of_canonical_order_is_refused()
    {
        var key = PrivateKey.Generate();
        var swapped = Data(("Value", "422f78"), ("TTL", "00"), ("Sequence", "01"), ("Validity", Validity), ("ValidityType", "00"));

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate(KeyOf(key), SignedWithData(key, swapped)));

        Assert.Contains("keys not sorted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/pk/")]
    [InlineData("/ipns")]
    [InlineData("ipns/")]
    [InlineData("/IPNS/")]
    public void Keys_outside_the_ipns_namespace_are_refused(string prefix)
    {
        var key = PrivateKey.Generate();
        var routingKey = Encoding.ASCII.GetBytes(prefix).Concat(PeerId.FromPublicKey(key.PublicKey).ToBytes()).ToArray();

        Assert.Throws<RecordValidationException>(() => Validator.Validate(routingKey, Create(key)));
    }

    [Fact]
    public void A_key_that_is_not_a_peer_id_is_refused()
    {
        var key = PrivateKey.Generate();

        var error = Assert.Throws<RecordValidationException>(() => Validator.Validate("/ipns/bad key"u8.ToArray(), Create(key)));

        Assert.Contains("valid peer id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_prefers_the_highest_sequence_then_the_latest_validity()
    {
        var key = PrivateKey.Generate();
        var r1 = Create(key, 1, TimeSpan.FromHours(1));
        var r2 = Create(key, 2, TimeSpan.FromHours(1));
        var r3 = Create(key, 3, TimeSpan.FromHours(1));
        var r4 = Create(key, 3, TimeSpan.FromHours(2));
        var r5 = Create(key, 4, TimeSpan.FromHours(3));
        var all = new[] { r1, r2, r3, r4, r5 };

        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var shuffled = all.OrderBy(_ => random.Next()).ToArray();
            Assert.Same(r5, shuffled[Validator.Select(KeyOf(key), shuffled)]);
            var withoutR5 = shuffled.Where(r => r != r5).ToArray();
            Assert.Same(r4, withoutR5[Validator.Select(KeyOf(key), withoutR5)]);
            var firstThree = shuffled.Where(r => r == r1 || r == r2 || r == r3).ToArray();
            Assert.Same(r3, firstThree[Validator.Select(KeyOf(key), firstThree)]);
        }
    }

    [Fact]
    public void Select_prefers_a_record_with_signature_v2()
    {
        var key = PrivateKey.Generate();
        var older = Create(key, 1);
        var newerWithoutV2 = Mutate(Create(key, 2), entry => entry.ClearSignatureV2());

        Assert.Equal(0, Validator.Select(KeyOf(key), [older, newerWithoutV2]));
        Assert.Equal(1, Validator.Select(KeyOf(key), [newerWithoutV2, older]));
    }

    [Fact]
    public void Select_breaks_exact_ties_by_the_larger_bytes_and_is_stable()
    {
        var key = PrivateKey.Generate();
        var a = Create(key, 5, TimeSpan.FromHours(1), v1: false);
        var b = Mutate(a, entry => entry.SignatureV1 = ByteString.CopyFromUtf8("x"));
        var larger = a.AsSpan().SequenceCompareTo(b) > 0 ? a : b;

        Assert.Same(larger, new[] { a, b }[Validator.Select(KeyOf(key), [a, b])]);
        Assert.Same(larger, new[] { b, a }[Validator.Select(KeyOf(key), [b, a])]);
        Assert.Equal(0, Validator.Select(KeyOf(key), [a, a]));
    }

    [Fact]
    public void Select_refuses_malformed_values_and_empty_lists()
    {
        var key = PrivateKey.Generate();

        Assert.Throws<RecordValidationException>(() => Validator.Select(KeyOf(key), [Create(key), "bad data"u8.ToArray()]));
        Assert.Throws<RecordValidationException>(() => Validator.Select(KeyOf(key), []));
    }
}
