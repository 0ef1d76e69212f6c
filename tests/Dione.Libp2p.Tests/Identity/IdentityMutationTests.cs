using System.Text;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Tests.TestSupport;
using Xunit.Abstractions;

namespace Dione.Libp2p.Tests.Identity;

/// <summary>
/// 100,000 seeded mutations per parser: key protobufs, peer ids and signatures. Parsers may only throw
/// <see cref="FormatException"/> (or <see cref="NotSupportedException"/> for an unknown key type);
/// verification of a mutated signature may only return a boolean.
/// </summary>
public class IdentityMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly byte[][] PublicKeyCorpus =
    [
        Convert.FromHexString(PeerIdSpecVectors.Ed25519Public),
        Convert.FromHexString(PeerIdSpecVectors.Secp256k1Public),
        Convert.FromHexString(PeerIdSpecVectors.EcdsaPublic),
        Convert.FromHexString(PeerIdSpecVectors.RsaPublic),
        Convert.FromHexString(GoCryptoFixtures.RsaPublic),
        Convert.FromHexString(GoCryptoFixtures.Secp256k1Public),
    ];

    [Fact]
    public void Public_key_from_protobuf_survives_mutation()
    {
        var mutator = new SeededMutator(11);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(PublicKeyCorpus), bytes =>
        {
            var key = PublicKey.FromProtobuf(bytes);
            Assert.Equal(key, PublicKey.FromProtobuf(key.ToProtobuf()));
        }, typeof(FormatException), typeof(NotSupportedException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Private_key_from_protobuf_survives_mutation()
    {
        byte[][] corpus =
        [
            Convert.FromHexString(PeerIdSpecVectors.Ed25519Private),
            Convert.FromHexString(PeerIdSpecVectors.Secp256k1Private),
            Convert.FromHexString(PeerIdSpecVectors.EcdsaPrivate),
            Convert.FromHexString(GoCryptoFixtures.RsaPrivate),
        ];

        var mutator = new SeededMutator(12);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(corpus), bytes =>
        {
            var key = PrivateKey.FromProtobuf(bytes);
            Assert.Equal(key.PublicKey, PrivateKey.FromProtobuf(key.ToProtobuf()).PublicKey);
        }, typeof(FormatException), typeof(NotSupportedException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Peer_id_from_bytes_survives_mutation()
    {
        string[] ids =
        [
            "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
            "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
            PeerId.FromPublicKey(PublicKey.FromProtobuf(Convert.FromHexString(PeerIdSpecVectors.Secp256k1Public))).ToString(),
        ];
        var corpus = ids.Select(id => PeerId.Parse(id).ToBytes()).ToArray();

        var mutator = new SeededMutator(13);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(corpus), bytes =>
        {
            var peerId = PeerId.FromBytes(bytes);
            Assert.Equal(peerId, PeerId.Parse(peerId.ToString()));
            Assert.Equal(peerId, PeerId.Parse(peerId.ToCidString()));
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Peer_id_parse_survives_mutation()
    {
        string[] corpus =
        [
            "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
            "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
            "bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u",
            "k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
            "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe",
        ];

        var mutator = new SeededMutator(14);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.NextText(corpus, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0"), text =>
        {
            var peerId = PeerId.Parse(text);
            Assert.Equal(peerId, PeerId.FromBytes(peerId.Bytes));
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    public static TheoryData<KeyType> AllTypes => [KeyType.Ed25519, KeyType.Secp256k1, KeyType.Ecdsa, KeyType.Rsa];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Mutated_signatures_never_verify_and_never_throw(KeyType type)
    {
        var key = PrivateKey.Generate(type);
        var message = Encoding.UTF8.GetBytes("signed by " + type);
        var signature = key.Sign(message);
        const int iterations = Iterations;
        var verified = 0;

        var mutator = new SeededMutator((int)type + 20);
        MutationTally.Run(output, iterations, () => mutator.Next([signature]), bytes =>
        {
            if (key.PublicKey.Verify(message, bytes))
            {
                verified++;
                // Only re-encodings of the same (r, s) can verify: go accepts ECDSA high-S, so s ↔ n−s is not possible
                // by byte mutation; anything that verifies must be the original signature.
                Assert.Equal(signature, bytes);
            }
        });

        output.WriteLine($"{type}: {verified} of {iterations} mutated signatures were the original");
    }
}
