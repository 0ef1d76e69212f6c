using System.Text;
using Dione.Messenger.Conversations;
using Dione.Messenger.Tests.TestSupport;
using Xunit.Abstractions;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// Simultaneous first contact (docs/protocol.md §14.7) against an in-memory mailbox: both sides write first before
/// either has read the other, so two sessions start and one must win on both sides for good, with nothing that
/// either wrote lost or read twice.
/// </summary>
public sealed class SimultaneousContactTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Interleavings = 50;
    private const int RandomSteps = 40;
    private const int Exchanges = 5;

    /// <summary>
    /// Few one-time prekeys: making and signing the default hundred at every start and republication would take most
    /// of the time of a run (a run consumes two).
    /// </summary>
    private static readonly MessengerOptions Options = new() { OneTimePrekeys = 4 };

    private readonly string _directory = Directory.CreateTempSubdirectory("dione-simultaneous-tests-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_winner_deletes_the_losers_carrier_and_never_takes_it_for_a_new_session_later()
    {
        var ct = Timeouts.Token();
        var mailbox = new InMemoryMailbox(replication: 3);
        await using var pair = await Pair.OpenAsync(mailbox, Path.Combine(_directory, "scenario"));
        var (winner, loser) = (pair.Smaller, pair.Larger);

        await pair.SendAsync(winner, "first from the winner");
        var losersCarrier = (await pair.SendAsync(loser, "first from the loser")).Address;
        Assert.Equal(3, mailbox.CopiesAt(losersCarrier));
        await pair.PollAsync(winner);
        await pair.PollAsync(loser);
        await pair.DeliverPendingAsync(loser);
        await pair.PollAsync(winner);
        // The winner has read the loser's reply, so its own session no longer waits: the old code now took the carrier
        // still at its intro slot for the loser starting over, and the two sessions split.
        await pair.PollAsync(winner);
        await pair.PollAsync(loser);

        Assert.Equal(0, mailbox.CopiesAt(losersCarrier));
        for (var round = 0; round < Exchanges; round++)
        {
            await pair.SendAsync(winner, $"winner {round}");
            await pair.SendAsync(loser, $"loser {round}");
            await pair.PollAsync(loser);
            await pair.PollAsync(winner);
        }
        await pair.AssertEverythingArrivedOnceInOrderAsync(ct);
    }

    /// <summary>
    /// A property over <see cref="Interleavings"/> seeded random runs: both write first at once, then sends, polls,
    /// outbox rounds and crash-restarts of either side come in random order while one side is offline for a while;
    /// then both are online, catch up, and exchange five messages each way. Nothing is lost or read twice in any run.
    /// </summary>
    [Fact]
    public async Task Any_interleaving_after_a_simultaneous_first_contact_loses_nothing()
    {
        var failures = new List<string>();
        for (var seed = 1; seed <= Interleavings; seed++)
        {
            try
            {
                await RunInterleavingAsync(seed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                output.WriteLine($"seed {seed} failed: {e}");
                failures.Add($"seed {seed}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Interleavings} interleavings failed:\n{string.Join("\n", failures)}");
    }

    private async Task RunInterleavingAsync(int seed)
    {
        var ct = Timeouts.Token();
        var random = new Random(seed);
        await using var pair = await Pair.OpenAsync(new InMemoryMailbox(replication: 3), Path.Combine(_directory, $"seed{seed}"));
        var sides = new[] { pair.Smaller, pair.Larger };
        var first = random.Next(2);
        await pair.SendAsync(sides[first], "hello");
        await pair.SendAsync(sides[1 - first], "hello");

        var offline = sides[random.Next(2)];
        var offlineFrom = random.Next(RandomSteps);
        var offlineUntil = offlineFrom + 1 + random.Next(RandomSteps / 2);
        for (var step = 0; step < RandomSteps; step++)
        {
            offline.Mailbox.Online = step < offlineFrom || step >= offlineUntil;
            var side = sides[random.Next(2)];
            switch (random.Next(10))
            {
                case < 3:
                    await pair.SendAsync(side, $"step {step}");
                    break;
                case < 6:
                    await pair.PollAsync(side);
                    break;
                case < 9:
                    await pair.DeliverPendingAsync(side);
                    break;
                default:
                    await side.RestartAsync();
                    break;
            }
        }
        offline.Mailbox.Online = true;
        await pair.CatchUpAsync();
        for (var round = 0; round < Exchanges; round++)
        {
            var (one, two) = random.Next(2) == 0 ? (sides[0], sides[1]) : (sides[1], sides[0]);
            await pair.SendAsync(one, $"exchange {round}");
            await pair.SendAsync(two, $"exchange {round}");
            await pair.CatchUpAsync();
        }
        await pair.AssertEverythingArrivedOnceInOrderAsync(ct);
    }

    /// <summary>Two sides who know each other's address, each with a switchable way to the shared mailbox, and what each sent.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        /// <summary>Rounds of outbox and polls that <see cref="CatchUpAsync"/> runs at most before it calls the pair stuck.</summary>
        private const int MaxCatchUpRounds = 10;

        private Pair(Side smaller, Side larger)
        {
            Smaller = smaller;
            Larger = larger;
        }

        /// <summary>The one whose identity key is smaller: its session wins a simultaneous first contact.</summary>
        public Side Smaller { get; }

        public Side Larger { get; }

        public static async Task<Pair> OpenAsync(InMemoryMailbox mailbox, string directory)
        {
            Directory.CreateDirectory(directory);
            var ct = Timeouts.Token();
            var one = await Side.OpenAsync(mailbox, Path.Combine(directory, "one.db"));
            var two = await Side.OpenAsync(mailbox, Path.Combine(directory, "two.db"));
            Assert.Equal(3, await one.Person.Messenger.PublishPrekeysAsync(ct));
            Assert.Equal(3, await two.Person.Messenger.PublishPrekeysAsync(ct));
            var oneIsSmaller = one.Person.Messenger.Identity.Ed25519PublicKey.SequenceCompareTo(two.Person.Messenger.Identity.Ed25519PublicKey) < 0;
            var (smaller, larger) = oneIsSmaller ? (one, two) : (two, one);
            (smaller.Name, smaller.Other) = ("smaller", larger);
            (larger.Name, larger.Other) = ("larger", smaller);
            await smaller.Person.Messenger.AddContactAsync(larger.Name, larger.Person.Messenger.Address, ct);
            await larger.Person.Messenger.AddContactAsync(smaller.Name, smaller.Person.Messenger.Address, ct);
            return new Pair(smaller, larger);
        }

        /// <summary>Sends "<paramref name="text"/>" from <paramref name="from"/> (prefixed with its name) to the other, and remembers it.</summary>
        public async Task<SendResult> SendAsync(Side from, string text)
        {
            var body = $"{from.Name}: {text} #{from.Sent.Count}";
            var result = await from.Person.Messenger.SendAsync(from.Other.Name, Encoding.UTF8.GetBytes(body), Timeouts.Token());
            from.Sent.Add(body);
            return result;
        }

        public async Task PollAsync(Side side) => await side.Person.Messenger.PollAsync(Timeouts.Token());

        public async Task DeliverPendingAsync(Side side) => await side.Person.Messenger.DeliverPendingAsync(Timeouts.Token());

        /// <summary>Both retry their outboxes and poll, in turn, until both outboxes are empty and a round brings nothing.</summary>
        public async Task CatchUpAsync()
        {
            var ct = Timeouts.Token();
            for (var round = 0; round < MaxCatchUpRounds; round++)
            {
                var quiet = true;
                foreach (var side in new[] { Smaller, Larger })
                {
                    await side.Person.Messenger.DeliverPendingAsync(ct);
                    quiet &= (await side.Person.Database.PendingAsync(ct)).Count == 0;
                }
                foreach (var side in new[] { Smaller, Larger })
                {
                    quiet &= (await side.Person.Messenger.PollAsync(ct)).Count == 0;
                }
                if (quiet)
                {
                    return;
                }
            }
            Assert.Fail($"the outboxes and mailboxes still move after {MaxCatchUpRounds} rounds");
        }

        /// <summary>Each side's inbox holds exactly what the other sent: every message once, in the order it was sent.</summary>
        public async Task AssertEverythingArrivedOnceInOrderAsync(CancellationToken ct)
        {
            await CatchUpAsync();
            foreach (var side in new[] { Smaller, Larger })
            {
                var inbox = await side.Person.Database.InboxInSentOrderAsync(ct);
                Assert.All(inbox, m => Assert.Equal(side.Other.Name, m.Contact));
                Assert.Equal(side.Other.Sent, inbox.Select(m => Encoding.UTF8.GetString(m.Body)));
                Assert.Equal(1, (await side.Person.Messenger.StatusAsync(ct)).Sessions);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Smaller.Person.DisposeAsync();
            await Larger.Person.DisposeAsync();
        }
    }

    /// <summary>One side of a <see cref="Pair"/>.</summary>
    private sealed class Side
    {
        private Side(SwitchableMailbox mailbox, RestartablePerson person)
        {
            Mailbox = mailbox;
            Person = person;
        }

        public SwitchableMailbox Mailbox { get; }

        public RestartablePerson Person { get; }

        /// <summary>How the other side names this one.</summary>
        public string Name { get; set; } = "";

        public Side Other { get; set; } = null!;

        /// <summary>Every body this side sent, in order.</summary>
        public List<string> Sent { get; } = [];

        public static async Task<Side> OpenAsync(InMemoryMailbox mailbox, string databasePath)
        {
            var switchable = new SwitchableMailbox(mailbox);
            return new Side(switchable, await RestartablePerson.OpenAsync(switchable, databasePath, Options));
        }

        /// <summary>As after a crash: only what was committed survives.</summary>
        public Task RestartAsync() => Person.RestartAsync();
    }
}
