using System.Diagnostics;
using Xunit.Abstractions;

namespace Dione.TestSupport.Mutation;

/// <summary>
/// Runs and counts the inputs of a mutation loop. Each attempt either returns the name of its outcome or throws one of
/// the allowed exception types (counted under the exception's type name); any other exception, an assertion included,
/// fails the test and shows the input.
/// </summary>
public sealed class MutationTally(params Type[] allowed)
{
    /// <summary>The outcome of an attempt that returned normally, for loops that only distinguish success.</summary>
    public const string Accepted = "accepted";

    /// <summary>
    /// The longest a whole loop may take: a guard against hangs and runaway (e.g. quadratic) parsing, not a speed
    /// test. Loops take 0.1–4 s on an idle 2-core machine; 30 s was exceeded under a load average of 14.
    /// </summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(120);

    private readonly Dictionary<string, int> _outcomes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>How many inputs were recorded.</summary>
    public int Inputs { get; private set; }

    /// <summary>How many inputs ended in one of the allowed exceptions.</summary>
    public int Refused { get; private set; }

    /// <summary>How many inputs ended with <paramref name="outcome"/>.</summary>
    public int this[string outcome] => _outcomes.GetValueOrDefault(outcome);

    /// <summary>Feeds <paramref name="iterations"/> inputs from <paramref name="next"/> to <paramref name="parse"/>;
    /// an input it returns from counts as <see cref="Accepted"/>.</summary>
    public static MutationTally Run<T>(ITestOutputHelper? output, int iterations, Func<T> next, Action<T> parse, params Type[] allowed)
    {
        var tally = new MutationTally(allowed);
        for (var i = 0; i < iterations; i++)
        {
            var input = next();
            tally.Record(input, () =>
            {
                parse(input);
                return Accepted;
            });
        }
        tally.Finish(output);
        return tally;
    }

    /// <summary>Feeds <paramref name="iterations"/> inputs from <paramref name="next"/> to <paramref name="parse"/>, one
    /// at a time; an input whose task completes counts as <see cref="Accepted"/>.</summary>
    public static async Task<MutationTally> RunAsync<T>(ITestOutputHelper? output, int iterations, Func<T> next, Func<T, Task> parse, params Type[] allowed)
    {
        var tally = new MutationTally(allowed);
        for (var i = 0; i < iterations; i++)
        {
            var input = next();
            await tally.RecordAsync(input, async () =>
            {
                await parse(input);
                return Accepted;
            });
        }
        tally.Finish(output);
        return tally;
    }

    /// <summary>Runs <paramref name="attempt"/> on one input and counts its outcome.</summary>
    public void Record<T>(T input, Func<string> attempt)
    {
        string outcome;
        try
        {
            outcome = attempt();
        }
        catch (Exception e)
        {
            outcome = Refuse(e, input);
        }
        Count(outcome);
    }

    /// <summary>Awaits <paramref name="attempt"/> on one input and counts its outcome.</summary>
    public async Task RecordAsync<T>(T input, Func<Task<string>> attempt)
    {
        string outcome;
        try
        {
            outcome = await attempt();
        }
        catch (Exception e)
        {
            outcome = Refuse(e, input);
        }
        Count(outcome);
    }

    /// <summary>Writes the counts to the test output and checks the loop stayed within <see cref="TimeLimit"/>.</summary>
    public void Finish(ITestOutputHelper? output = null)
    {
        output?.WriteLine(ToString());
        Assert.True(_clock.Elapsed < TimeLimit, $"mutation loop too slow: {this}");
    }

    public override string ToString() =>
        $"{Inputs} inputs in {_clock.ElapsedMilliseconds} ms: "
        + string.Join(", ", _outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));

    private static string Describe<T>(T input) => input is byte[] bytes ? Convert.ToHexString(bytes) : $"\"{input}\"";

    private string Refuse<T>(Exception e, T input)
    {
        if (!allowed.Any(type => type.IsInstanceOfType(e)))
        {
            Assert.Fail($"{e.GetType().Name} on input {Describe(input)}: {e}");
        }
        Refused++;
        return e.GetType().Name;
    }

    private void Count(string outcome)
    {
        Inputs++;
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
    }
}
