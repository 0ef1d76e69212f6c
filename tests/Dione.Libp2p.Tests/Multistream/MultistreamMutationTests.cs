using System.Diagnostics;
using Dione.Libp2p.Multistream;
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
        var mutator = new ByteMutator(20240601, ListenerSeeds);
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next();
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 40));
            string outcome;
            try
            {
                var chosen = await MultistreamSelect.HandleAsync(stream, Supported.Contains, CancellationToken.None);
                Assert.Contains(chosen, Supported);
                Assert.EndsWith(Convert.ToHexString(Msg(chosen)), Convert.ToHexString(stream.Writes[^1]), StringComparison.Ordinal);
                outcome = "accepted";
            }
            catch (Exception e) when (e is ProtocolNegotiationException or EndOfStreamException)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {Convert.ToHexString(input)} raised {e}");
                throw;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Report(clock, outcomes);
        Assert.True(outcomes.GetValueOrDefault("accepted") > 1000, "the loop should also reach acceptance");
    }

    [Fact]
    public async Task Dialer_and_lazy_dialer_survive_mutated_answers()
    {
        var mutator = new ByteMutator(424242, DialerSeeds);
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var buffer = new byte[8];
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next();
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 40));
            string outcome;
            try
            {
                if (i % 2 == 0)
                {
                    var chosen = await MultistreamSelect.SelectAsync(stream, Supported, CancellationToken.None);
                    Assert.Contains(chosen, Supported);
                    outcome = "selected";
                }
                else
                {
                    await using var lazy = MultistreamSelect.SelectLazy(stream, "/a/1.0.0");
                    _ = await lazy.ReadAsync(buffer, CancellationToken.None);
                    outcome = "lazy-selected";
                }
            }
            catch (Exception e) when (e is ProtocolNegotiationException or EndOfStreamException)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {Convert.ToHexString(input)} raised {e}");
                throw;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Report(clock, outcomes);
        Assert.True(outcomes.GetValueOrDefault("selected") > 50, "the loop should also reach success");
        Assert.True(outcomes.GetValueOrDefault("lazy-selected") > 50, "the loop should also reach lazy success");
    }

    private void Report(Stopwatch clock, Dictionary<string, int> outcomes) =>
        output.WriteLine($"{Iterations} inputs in {clock.ElapsedMilliseconds} ms: "
            + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
}
