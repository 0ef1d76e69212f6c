using System.Diagnostics;
using Dione.Kademlia.Protos;
using Dione.Kademlia.Records;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;
using Google.Protobuf;

namespace Dione.Kademlia.Tests.Records;

/// <summary>
/// Seeded mutation loops: every mutated input must either pass or fail with <see cref="RecordValidationException"/>
/// (the DAG-CBOR reader: <see cref="FormatException"/>), never anything else, and quickly.
/// </summary>
public class ValidatorMutationTests
{
    private const int Iterations = 100_000;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static (int Accepted, int Refused, TimeSpan Elapsed) Run(
        int seed, IReadOnlyList<(byte[] Key, byte[] Value)> seeds, Action<byte[], byte[]> validate)
    {
        var mutator = new SeededMutator(seed);
        var random = mutator.Random;
        var values = seeds.Select(s => s.Value).ToList();
        var keys = seeds.Select(s => s.Key).ToList();
        var accepted = 0;
        var refused = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var (key, value) = seeds[random.Next(seeds.Count)];
            var choice = random.Next(10);
            var mutatedKey = choice <= 1 ? mutator.Mutate(key, spliceSources: keys) : key;
            var mutatedValue = choice == 0 ? value : mutator.Mutate(value, spliceSources: values);
            try
            {
                validate(mutatedKey, mutatedValue);
                accepted++;
            }
            catch (RecordValidationException)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i}: key {Convert.ToHexString(mutatedKey)} value {Convert.ToHexString(mutatedValue)} threw {e}");
            }
        }
        return (accepted, refused, stopwatch.Elapsed);
    }

    [Fact]
    public void Ipns_validate_survives_100000_mutated_records()
    {
        var validator = new IpnsValidator(new ManualTimeProvider(Now));
        var seeds = IpnsFixtures.All.Select(f => (IpnsRecord.RoutingKey(PeerId.Parse(f.Name)), f.Bytes)).ToList();
        foreach (var (type, v1) in new[] { (KeyType.Ed25519, true), (KeyType.Ed25519, false), (KeyType.Ecdsa, false) })
        {
            var key = PrivateKey.Generate(type);
            var record = IpnsRecord.Create(key, "/ipfs/bafkqaaa"u8, 3, Now.AddHours(1), TimeSpan.FromMinutes(1), v1);
            seeds.Add((IpnsRecord.RoutingKey(PeerId.FromPublicKey(key.PublicKey)), record));
        }

        var (accepted, refused, elapsed) = Run(20260301, seeds, validator.Validate);

        Assert.Equal(Iterations, accepted + refused);
        Assert.InRange(refused, Iterations / 2, Iterations);
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed}");
    }

    [Fact]
    public void Public_key_validate_survives_100000_mutated_records()
    {
        var validator = new PublicKeyValidator();
        var seeds = new[] { KeyType.Ed25519, KeyType.Secp256k1, KeyType.Ecdsa, KeyType.Rsa }
            .Select(type => PrivateKey.Generate(type).PublicKey)
            .Select(key => (PublicKeyValidator.RoutingKey(PeerId.FromPublicKey(key)), key.ToProtobuf()))
            .ToList();

        var (accepted, refused, elapsed) = Run(20260302, seeds, validator.Validate);

        Assert.Equal(Iterations, accepted + refused);
        Assert.InRange(refused, Iterations / 2, Iterations);
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed}");
    }

    [Fact]
    public void Namespaced_select_survives_mutated_ipns_values()
    {
        var validator = NamespacedValidator.CreateDefault(new ManualTimeProvider(Now));
        var fixtures = IpnsFixtures.All.Where(f => f.Label != "v1").Select(f => f.Bytes).ToList();
        var mutator = new SeededMutator(20260303);
        var random = mutator.Random;
        for (var i = 0; i < 20_000; i++)
        {
            var values = Enumerable.Range(0, 1 + random.Next(3))
                .Select(_ => random.Next(2) == 0 ? fixtures[random.Next(fixtures.Count)] : mutator.Mutate(fixtures[random.Next(fixtures.Count)], spliceSources: fixtures))
                .ToList();
            try
            {
                Assert.InRange(validator.Select("/ipns/x"u8.ToArray(), values), 0, values.Count - 1);
            }
            catch (RecordValidationException)
            {
            }
        }
    }

    [Fact]
    public void Dag_cbor_reader_survives_100000_mutated_documents()
    {
        var seeds = IpnsFixtures.All.Where(f => f.Label != "v1")
            .Select(f => IpnsEntry.Parser.ParseFrom(f.Bytes).Data.ToByteArray())
            .Append(Convert.FromHexString("a2" + "625f78" + "85" + "f5" + "f4" + "f6" + "fb3ff8000000000000" + "a1616b80" + "625f79" + "d82a" + "46" + "00" + "01550001" + "61"))
            .ToList();
        var mutator = new SeededMutator(20260304);
        var random = mutator.Random;
        var refused = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Mutate(seeds[random.Next(seeds.Count)], spliceSources: seeds);
            try
            {
                DagCborReader.ReadMap(input);
            }
            catch (FormatException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, Iterations / 2, Iterations);
    }

    [Fact]
    public void Garbage_protobuf_fields_in_an_ipns_record_are_refused_cleanly()
    {
        var validator = new IpnsValidator(new ManualTimeProvider(Now));
        var fixture = IpnsFixtures.Get("v1-v2");
        var key = IpnsRecord.RoutingKey(PeerId.Parse(fixture.Name));
        var random = new Random(20260305);
        for (var i = 0; i < 2_000; i++)
        {
            var entry = IpnsEntry.Parser.ParseFrom(fixture.Bytes);
            var garbage = ByteString.CopyFrom(Enumerable.Range(0, 1 + random.Next(64)).Select(_ => (byte)random.Next(256)).ToArray());
            switch (random.Next(5))
            {
                case 0: entry.PubKey = garbage; break;
                case 1: entry.Data = garbage; break;
                case 2: entry.SignatureV2 = garbage; break;
                case 3: entry.Value = garbage; break;
                default: entry.Validity = garbage; break;
            }
            Assert.Throws<RecordValidationException>(() => validator.Validate(key, entry.ToByteArray()));
        }
    }
}
