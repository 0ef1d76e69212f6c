using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Tests.TestSupport;
using Xunit.Abstractions;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>100,000 seeded mutations per parser: only a clean <see cref="FormatException"/> may come out.</summary>
public class MultiformatsMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly string[] AddressCorpus =
    [
        "/ip4/127.0.0.1/tcp/4001",
        "/ip6/2001:db8::1/udp/443/quic-v1",
        "/ip6zone/eth0/ip6/fe80::1/tcp/1",
        "/dns4/example.com/tcp/443/tls/sni/example.com/ws",
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/ip4/1.2.3.4/udp/4001/quic-v1/webtransport/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ/p2p/12D3KooWBdmLJjhpgJ9KZgLM3f894ff9xyBfPvPjFNn7MKJpyrC2",
        "/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
        "/ip6/::ffff:1.2.3.4/tcp/80/http",
        "/ip4/192.0.2.0/ipcidr/24",
        "/p2p/k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
    ];

    private const string AddressAlphabet = "/0123456789abcdefpqtuwxyz.:%-_ipcdnsrkQmK12D3oWzZ";

    [Fact]
    public void Multiaddress_from_bytes_survives_mutation()
    {
        var corpus = AddressCorpus.Select(a => Multiaddress.Parse(a).ToBytes()).ToArray();

        var mutator = new SeededMutator(1);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(corpus), bytes =>
        {
            var address = Multiaddress.FromBytes(bytes);
            Assert.Equal(address, Multiaddress.Parse(address.ToString()));
            Assert.Equal(bytes, address.ToBytes());
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Multiaddress_parse_survives_mutation()
    {
        var mutator = new SeededMutator(2);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.NextText(AddressCorpus, AddressAlphabet), text =>
        {
            var address = Multiaddress.Parse(text);
            Assert.Equal(address, Multiaddress.FromBytes(address.ToBytes()));
            Assert.Equal(address, Multiaddress.Parse(address.ToString()));
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Varint_try_read_survives_mutation()
    {
        byte[][] corpus = [[0x00], [0xac, 0x02], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], [0x80, 0x80, 0x01], [0xff, 0x01, 0x05]];

        var mutator = new SeededMutator(3);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(corpus), bytes =>
        {
            var read = Varint.TryRead(bytes, out var value);
            if (read > 0)
            {
                Assert.Equal(bytes[..read], Varint.Encode(value));
            }
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Base58_decode_survives_mutation()
    {
        string[] corpus = ["QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN", "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV", "1111", "z"];

        var mutator = new SeededMutator(4);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.NextText(corpus, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl"), text =>
        {
            var bytes = Base58.Decode(text);
            Assert.Equal(text, Base58.Encode(bytes));
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Multibase_decode_survives_mutation()
    {
        var data = "\0\0yes mani !"u8.ToArray();
        var corpus = Enum.GetValues<MultibaseEncoding>().Select(e => Multibase.Encode(e, data)).ToArray();

        var mutator = new SeededMutator(5);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.NextText(corpus, "bBcCfFkKmMuUzZvVtT0189aAzZ+/-_="), text =>
        {
            var bytes = Multibase.Decode(text, out var encoding);
            Assert.Equal(bytes, Multibase.Decode(Multibase.Encode(encoding, bytes)));
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Cid_parse_survives_mutation()
    {
        string[] corpus =
        [
            "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n",
            "bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm",
            "k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
            "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA",
            "f015512209d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63",
            "uAXIAJAgBEiAbAC1z3D23hknh43F_PdZu3QZq_iwfhh1LGmOKFVoTMw",
        ];

        var mutator = new SeededMutator(6);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.NextText(corpus, "bfkuzQmK0123456789abcdefqrstvwxyz_-"), text =>
        {
            var cid = Cid.Parse(text);
            Assert.Equal(cid, Cid.FromBytes(cid.ToBytes()));
            Assert.Equal(cid, Cid.Parse(cid.ToString()));
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Cid_from_bytes_survives_mutation()
    {
        string[] texts = ["QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n", "bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm", "k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs"];
        var corpus = texts.Select(t => Cid.Parse(t).ToBytes()).ToArray();

        var mutator = new SeededMutator(7);
        var accepted = MutationTally.Run(output, Iterations, () => mutator.Next(corpus), bytes =>
        {
            var cid = Cid.FromBytes(bytes);
            Assert.Equal(bytes, cid.ToBytes());
        }, typeof(FormatException))[MutationTally.Accepted];

        Assert.InRange(accepted, 1, Iterations - 1);
    }
}
