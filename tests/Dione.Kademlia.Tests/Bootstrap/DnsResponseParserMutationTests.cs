using System.Diagnostics;
using Dione.Kademlia.Bootstrap;
using Xunit.Abstractions;

namespace Dione.Kademlia.Tests.Bootstrap;

/// <summary>A seeded mutation loop: every mutated response parses or fails with <see cref="FormatException"/>, quickly.</summary>
public class DnsResponseParserMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;
    private const string Name = "_dnsaddr.example.com";

    private static byte[][] Seeds()
    {
        // Question name at 12 ("example" label at 21 = 0x15); the CNAME's rdata, bob.example.com, at 50.
        var withCname = new List<byte>(DnsMessageBuilder.Header(7, DnsMessageBuilder.ResponseFlags(), 1, 3, 1, 1));
        withCname.AddRange(DnsMessageBuilder.Question(Name));
        withCname.AddRange(DnsMessageBuilder.Record(DnsMessageBuilder.Pointer(12), DnsMessageBuilder.TypeCname, [3, (byte)'b', (byte)'o', (byte)'b', 0xc0, 0x15]));
        withCname.AddRange(DnsMessageBuilder.Record(DnsMessageBuilder.Pointer(50), DnsMessageBuilder.TypeTxt, DnsMessageBuilder.TxtData("dnsaddr=/ip4/1.2.3.4/tcp/1", "x")));
        withCname.AddRange(DnsMessageBuilder.Record(DnsMessageBuilder.Name("other.example"), DnsMessageBuilder.TypeA, [1, 2, 3, 4]));
        withCname.AddRange(DnsMessageBuilder.Record(DnsMessageBuilder.Pointer(0x15), 2, [1, (byte)'a', 0xc0, 0x15]));
        withCname.AddRange([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
        return
        [
            DnsMessageBuilder.TxtResponse(1, Name, ["dnsaddr=/ip4/1.2.3.4/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"]),
            DnsMessageBuilder.TxtResponse(2, Name, ["a", "bb", "ccc", new string('d', 300)]),
            DnsMessageBuilder.TxtResponse(3, Name, [], responseCode: 3),
            DnsMessageBuilder.TxtResponse(4, Name, ["t"], truncated: true),
            [.. withCname],
        ];
    }

    [Fact]
    public void Parser_survives_mutated_responses()
    {
        var seeds = Seeds();
        foreach (var seed in seeds)
        {
            DnsResponseParser.Parse(seed); // every seed is valid
        }
        Assert.Equal(["dnsaddr=/ip4/1.2.3.4/tcp/1x"], DnsTxtResolver.ExtractText(DnsResponseParser.Parse(seeds[^1]), Name));
        var mutator = new SeededMutator(20240601);
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next(seeds);
            string outcome;
            try
            {
                var response = DnsResponseParser.Parse(input);
                Assert.True(response.Questions.Count + response.Answers.Count <= input.Length / 5);
                var texts = DnsTxtResolver.ExtractText(response, Name);
                Assert.True(texts.Sum(t => t.Length) <= input.Length);
                outcome = texts.Count > 0 ? "parsed with TXT" : "parsed";
            }
            catch (FormatException)
            {
                outcome = "FormatException";
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        clock.Stop();
        output.WriteLine($"{Iterations} mutated responses in {clock.ElapsedMilliseconds} ms: "
            + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(outcomes.GetValueOrDefault("FormatException") > 0);
        Assert.True(outcomes.GetValueOrDefault("parsed with TXT") > 0);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Parser_survives_random_bytes()
    {
        var random = new Random(7);
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 300)];
            random.NextBytes(input);
            if (input.Length > 2)
            {
                input[2] |= 0x80; // mostly past the "not a response" check
            }
            try
            {
                DnsResponseParser.Parse(input);
            }
            catch (FormatException)
            {
            }
        }
    }
}
