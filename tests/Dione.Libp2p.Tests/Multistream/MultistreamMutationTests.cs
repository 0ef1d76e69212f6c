using Dione.Libp2p.Multistream;
using Dione.Libp2p.Tests.TestSupport;
using Xunit.Abstractions;
using static Dione.Libp2p.Tests.Multistream.Mss;

namespace Dione.Libp2p.Tests.Multistream;

/// <summary>
/// Seeded mutation loops: whatever bytes arrive, negotiation ends in success, a
/// <see cref="ProtocolNegotiationException"/> or an <see cref="EndOfStreamException"/> — never anything else, never a hang.
/// </summary>
public class MultistreamMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly string[] Supported = ["/a/1.0.0", "/b/2"];

    private static readonly byte[][] ListenerSeeds =
    [
        Concat(Header, Msg("/a/1.0.0")),
        Concat(Header, Msg("/x"), Msg("/b/2"), "payload"u8.ToArray()),
        Concat(Header, Ls, Msg("/a/1.0.0")),
        Concat(Header, Na, Header, Msg("")),
        Concat(Header, Msg("/" + new string('y', 1022))),
        Concat([Header, .. Enumerable.Range(0, 33).Select(i => Msg($"/n/{i}"))]),
        Concat(Header, Msg("/ünï/1"), Msg("/a/1.0.0")),
    ];

    private static readonly byte[][] DialerSeeds =
    [
        Concat(Header, Msg("/a/1.0.0")),
        Concat(Header, Na, Msg("/b/2"), "data"u8.ToArray()),
        Concat(Header, Na, Na),
        Concat(Msg("/a/1.0.0"), Header),
        Concat(Header, Msg("/" + new string('z', 1022))),
    ];

    [Fact]
    public async Task Listener_survives_mutated_input()
    {
        const string accepted = "accepted";
        var mutator = new SeededMutator(20240601);
        var tally = new MutationTally(typeof(ProtocolNegotiationException), typeof(EndOfStreamException));
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next(ListenerSeeds);
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 40));
            await tally.RecordAsync(input, async () =>
            {
                var chosen = await MultistreamSelect.HandleAsync(stream, Supported.Contains, CancellationToken.None);
                Assert.Contains(chosen, Supported);
                Assert.EndsWith(Convert.ToHexString(Msg(chosen)), Convert.ToHexString(stream.Writes[^1]), StringComparison.Ordinal);
                return accepted;
            });
        }
        tally.Finish(output);
        Assert.True(tally[accepted] > 1000, "the loop should also reach acceptance");
    }

    [Fact]
    public async Task Dialer_and_lazy_dialer_survive_mutated_answers()
    {
        const string selected = "selected", lazySelected = "lazy-selected";
        var mutator = new SeededMutator(424242);
        var tally = new MutationTally(typeof(ProtocolNegotiationException), typeof(EndOfStreamException));
        var buffer = new byte[8];
        for (var i = 0; i < Iterations; i++)
        {
            // Two answers in eight (one for each dialer) go unmutated: the mutator never returns its input unchanged,
            // and the loop must also show that valid answers still succeed among hostile ones.
            var input = i % 8 >= 6 ? DialerSeeds[mutator.Random.Next(DialerSeeds.Length)] : mutator.Next(DialerSeeds);
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 40));
            await tally.RecordAsync(input, async () =>
            {
                if (i % 2 == 0)
                {
                    var chosen = await MultistreamSelect.SelectAsync(stream, Supported, CancellationToken.None);
                    Assert.Contains(chosen, Supported);
                    return selected;
                }
                await using var lazy = MultistreamSelect.SelectLazy(stream, "/a/1.0.0");
                _ = await lazy.ReadAsync(buffer, CancellationToken.None);
                return lazySelected;
            });
        }
        tally.Finish(output);
        Assert.True(tally[selected] > 50, "the loop should also reach success");
        Assert.True(tally[lazySelected] > 50, "the loop should also reach lazy success");
    }
}
