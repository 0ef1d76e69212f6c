using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Records;
using Dione.Libp2p.Tests.TestSupport;
using Xunit.Abstractions;

namespace Dione.Libp2p.Tests.Records;

/// <summary>100,000 seeded mutations of signed envelopes and peer records: only <see cref="FormatException"/> may come out.</summary>
public class RecordsMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly byte[][] EnvelopeCorpus = BuildCorpus();

    private static byte[][] BuildCorpus()
    {
        var corpus = new List<byte[]> { Convert.FromHexString(GoPeerRecordVector.Envelope) };
        foreach (var type in new[] { KeyType.Secp256k1, KeyType.Ecdsa, KeyType.Rsa })
        {
            var key = PrivateKey.Generate(type);
            var record = new PeerRecord(PeerId.FromPublicKey(key.PublicKey), [Multiaddress.Parse("/ip4/1.2.3.4/udp/4001/quic-v1")], 99);
            corpus.Add(record.ToSignedEnvelope(key).ToBytes());
        }
        return [.. corpus];
    }

    [Fact]
    public void Peer_record_from_signed_envelope_survives_mutation()
    {
        var mutator = new SeededMutator(31);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(EnvelopeCorpus), bytes =>
        {
            var record = PeerRecord.FromSignedEnvelope(bytes);
            Assert.True(record.PeerId.Matches(SignedEnvelope.Open(bytes, PeerRecord.Domain).PublicKey));
        }, typeof(FormatException))[MutationTally.Accepted];

        // Only mutations the protobuf parser ignores (e.g. appended unknown fields) may survive the signature.
        Assert.InRange(accepted, 0, Iterations / 10);
    }

    [Fact]
    public void Signed_envelope_open_survives_mutation()
    {
        var mutator = new SeededMutator(32);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(EnvelopeCorpus), bytes =>
            SignedEnvelope.Open(bytes, PeerRecord.Domain), typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 0, Iterations / 10);
    }

    [Fact]
    public void Peer_record_from_protobuf_survives_mutation()
    {
        var corpus = EnvelopeCorpus.Select(e => SignedEnvelope.Open(e, PeerRecord.Domain).Payload.ToArray()).ToArray();

        var mutator = new SeededMutator(33);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(corpus), bytes =>
        {
            var record = PeerRecord.FromProtobuf(bytes);
            var again = PeerRecord.FromProtobuf(record.ToProtobuf());
            Assert.Equal(record.PeerId, again.PeerId);
            Assert.Equal(record.Addresses, again.Addresses);
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }
}
