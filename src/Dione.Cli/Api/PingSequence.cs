using System.Globalization;
using System.Runtime.CompilerServices;
using Dione.Cli.Api.Models;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Api;

/// <summary>
/// A ping as kubo reports it, one <see cref="PingResult"/> at a time: "PING ID.", one line per round trip
/// (<c>Time</c> in nanoseconds, no text), "Ping error: …" when a round trip fails (which ends the pings), and
/// "Average latency: …ms" when at least one came back. The daemon's API streams these and the CLI prints them, whether
/// the daemon or a short-lived node pinged.
/// </summary>
public static class PingSequence
{
    public static async IAsyncEnumerable<PingResult> RunAsync(Libp2pHost host, PeerId peer, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new PingResult(true, 0, $"PING {peer}.");
        var times = new List<TimeSpan>();
        string? error = null;
        await using (var rounds = host.Ping.PingAsync(peer, count, cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            while (true)
            {
                try
                {
                    // C# allows no yield inside a try with a catch: the round trip is taken here and yielded below.
                    if (!await rounds.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    error = e.Message;
                    break;
                }
                times.Add(rounds.Current);
                yield return new PingResult(true, GoDuration.ToNanoseconds(rounds.Current), "");
            }
        }
        if (error is not null)
        {
            yield return new PingResult(false, 0, $"Ping error: {error}");
        }
        if (times.Count > 0)
        {
            var average = times.Average(t => t.TotalMilliseconds);
            yield return new PingResult(true, 0, string.Create(CultureInfo.InvariantCulture, $"Average latency: {average:0.00}ms"));
        }
    }

    /// <summary>Whether the line reports a round trip that came back.</summary>
    public static bool IsRoundTrip(PingResult result) => result.Success && result.Text.Length == 0;
}
