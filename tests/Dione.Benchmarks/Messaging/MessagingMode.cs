using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
using Dione.Messenger.Overlay;
using Microsoft.Data.Sqlite;

namespace Dione.Benchmarks.Messaging;

/// <summary>
/// <c>messaging</c>: Dione messaging over a swarm of nodes in this process on 127.0.0.1 (real TCP, Noise, Yamux),
/// envelope databases as files. Alice and Bob are on two of the nodes. Measured, in this order:
/// (a) online delivery: Bob watches (<c>--receiver watch</c>, the default: waiting FETCH requests at the holders, as the
/// daemon does) or polls in a loop (<c>--receiver poll</c>: a poll, then a <c>--poll-pause-ms</c> pause); the time from the start of
/// Alice's <c>SendAsync</c> to the end of the poll that returned the message, one message at a time; each message is
/// followed by (c) one overlay lookup (<c>GetClosestPeersAsync</c> of a random key) from Alice's node, so both see the
/// same conditions;
/// (b) offline delivery: Bob's messenger and node stop, Alice sends, Bob starts a new node (joins through the first
/// node: bootstrap, self-lookup, a lookup in each bucket), reopens his database and polls: the time from his node's
/// start to the last message in his inbox, and from each send to its receipt;
/// (d) one sender's rate: <c>SendAsync</c> in a loop, each awaited until the holders acknowledged, Bob not polling;
/// (e) what the stores hold for those messages: bytes per envelope copy (the envelope, and the database pages its
/// row and index entries take), copies per message, and bytes across the holders per message; then Bob drains them
/// as a backlog: the time (also as a multiple of one lookup) and the fetch rounds it took.
/// A person's mailbox traffic goes out under throwaway identities as in the daemon (<c>--ephemeral on</c>, their idle
/// connections capped by <c>--ephemeral-connections</c>, 32); <c>--ephemeral off</c> sends it under the nodes' own peer
/// ids, to measure what the throwaway identities cost.
/// A message that has not arrived within <c>--wait-seconds</c> (60) counts as lost (with a diagnosis on stderr), and the
/// figures are taken over the others. Prints one JSON line of the figures.
/// </summary>
internal static class MessagingMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var settings = new Settings(
            Nodes: arguments.Count("nodes", 50, minimum: 4),
            Replication: arguments.Count("replication", 5),
            BucketSize: arguments.Count("bucket-size", KademliaDefaults.K),
            Online: arguments.Count("messages", 30),
            Rounds: arguments.Count("offline-rounds", 5),
            PerRound: arguments.Count("offline-messages", 2),
            Burst: arguments.Count("burst", 300),
            BodyBytes: arguments.Count("message-bytes", 100, minimum: 8),
            Pause: TimeSpan.FromMilliseconds(arguments.Number("poll-pause-ms", 10)),
            Wait: TimeSpan.FromSeconds(arguments.Number("wait-seconds", 60)),
            Watch: Receiver(arguments.Text("receiver", "watch")),
            Ephemeral: OnOff(arguments.Text("ephemeral", "on")),
            EphemeralConnections: arguments.Count("ephemeral-connections", new MailboxServiceOptions().MaxEphemeralConnections));
        var timeout = TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 300));
        arguments.RejectUnknownOptions();
        using var limit = new CancellationTokenSource(timeout);
        var directory = Directory.CreateTempSubdirectory("dione-bench-messaging-").FullName;
        try
        {
            var run = new Run(settings, directory);
            JsonLine.Write(await run.MeasureAsync(limit.Token).ConfigureAwait(false));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool Receiver(string name) => name switch
    {
        "watch" => true,
        "poll" => false,
        _ => throw new ArgumentException($"--receiver is watch or poll, not '{name}'"),
    };

    private static bool OnOff(string value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => throw new ArgumentException($"--ephemeral is on or off, not '{value}'"),
    };

    private sealed record Settings(
        int Nodes, int Replication, int BucketSize, int Online, int Rounds, int PerRound, int Burst, int BodyBytes, TimeSpan Pause, TimeSpan Wait, bool Watch,
        bool Ephemeral, int EphemeralConnections);

    private sealed class Run(Settings settings, string directory)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _numbered;

        public async Task<JsonObject> MeasureAsync(CancellationToken ct)
        {
            // Alice's and Bob's nodes join last, after the swarm formed: settings.Nodes in all.
            await using var swarm = await LocalSwarm.StartAsync(settings.Nodes - 2, NodeTemplate(), directory, ct).ConfigureAwait(false);
            var joinSeconds = _clock.Elapsed.TotalSeconds;
            var tableSize = swarm.MeanTableSize;
            Diagnostics.Log($"messaging: {settings.Nodes} nodes joined in {joinSeconds:F1} s, {tableSize:F1} peers per overlay table");

            // The messengers' loops do not run: the receiver below polls or watches, and the sends are awaited one by one.
            await using var alice = await swarm.AddNodeAsync(LocalSwarm.Person(Path.Combine(directory, "alice.db")), cancellationToken: ct).ConfigureAwait(false);
            var bob = await swarm.AddNodeAsync(LocalSwarm.Person(Path.Combine(directory, "bob.db")), cancellationToken: ct).ConfigureAwait(false);
            try
            {
                await bob.Messenger.PublishPrekeysAsync(ct).ConfigureAwait(false);
                await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct).ConfigureAwait(false);

                // (a) and (c): online delivery, each message followed by one lookup.
                var delivery = new List<double>();
                var sends = new List<double>();
                var lookups = new List<double>();
                var incomplete = 0;
                var onlineLost = 0;
                List<double> emptyPolls;
                await using (var receiver = new PollingReceiver(bob.Messenger, _clock, settings.Pause, settings.Watch))
                {
                    var intro = Body();
                    await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes(intro), ct).ConfigureAwait(false);
                    if (await ArrivedAsync(receiver, intro) is null)
                    {
                        throw new InvalidOperationException("the first message (the session's intro) did not arrive");
                    }
                    for (var i = 0; i < settings.Online; i++)
                    {
                        var body = Body();
                        var started = _clock.Elapsed.TotalSeconds;
                        var sent = await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes(body), ct).ConfigureAwait(false);
                        sends.Add((_clock.Elapsed.TotalSeconds - started) * 1000);
                        incomplete += sent.FirstAttempt.Complete ? 0 : 1;
                        if (await ArrivedAsync(receiver, body) is { } arrived)
                        {
                            delivery.Add((arrived - started) * 1000);
                        }
                        else
                        {
                            onlineLost++;
                            await LogLostAsync(swarm, bob, body, sent.Address, ct).ConfigureAwait(false);
                        }
                        var lookupStarted = _clock.Elapsed.TotalSeconds;
                        await alice.Overlay.Dht.GetClosestPeersAsync(RandomNumberGenerator.GetBytes(32), cancellationToken: ct).ConfigureAwait(false);
                        lookups.Add((_clock.Elapsed.TotalSeconds - lookupStarted) * 1000);
                    }
                    emptyPolls = [.. receiver.EmptyPollMs];
                }
                var ephemeralConnections = alice.Mailbox.Client.EphemeralConnections + bob.Mailbox.Client.EphemeralConnections;
                Diagnostics.Log($"messaging: online delivery median {Statistics.Median(delivery):F1} ms ({onlineLost} lost), lookup median {Statistics.Median(lookups):F1} ms");

                // (b): offline delivery.
                var offline = new List<double>();
                var offlineSendToReceipt = new List<double>();
                var rejoin = new List<double>();
                var offlineLost = 0;
                for (var round = 0; round < settings.Rounds; round++)
                {
                    await swarm.StopNodeAsync(bob).ConfigureAwait(false);
                    var sent = new List<(string Body, double At, byte[] Address)>();
                    for (var i = 0; i < settings.PerRound; i++)
                    {
                        var body = Body();
                        var at = _clock.Elapsed.TotalSeconds;
                        var result = await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes(body), ct).ConfigureAwait(false);
                        incomplete += result.FirstAttempt.Complete ? 0 : 1;
                        sent.Add((body, at, result.Address));
                    }
                    var back = _clock.Elapsed.TotalSeconds;
                    bob = await swarm.RestartNodeAsync(bob, cancellationToken: ct).ConfigureAwait(false);
                    rejoin.Add((_clock.Elapsed.TotalSeconds - back) * 1000);
                    await using var receiver = new PollingReceiver(bob.Messenger, _clock, settings.Pause, settings.Watch);
                    double? last = null;
                    foreach (var (body, at, address) in sent)
                    {
                        if (await ArrivedAsync(receiver, body) is { } arrived)
                        {
                            offlineSendToReceipt.Add((arrived - at) * 1000);
                            last = Math.Max(last ?? 0, arrived);
                        }
                        else
                        {
                            offlineLost++;
                            await LogLostAsync(swarm, bob, body, address, ct).ConfigureAwait(false);
                        }
                    }
                    if (last is { } lastArrival && sent.Count > 0)
                    {
                        offline.Add((lastArrival - back) * 1000);
                    }
                }
                Diagnostics.Log($"messaging: offline delivery median {Statistics.Median(offline):F1} ms from Bob's start ({offlineLost} lost; joining {Statistics.Median(rejoin):F1} ms)");

                // (d) and (e): one sender's rate, and what the stores hold for it.
                var before = StorageSnapshot.Take(swarm.Nodes);
                var burst = new List<(string Body, byte[] Address)>();
                var burstStarted = _clock.Elapsed.TotalSeconds;
                var burstComplete = 0;
                for (var i = 0; i < settings.Burst; i++)
                {
                    var body = Body();
                    var result = await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes(body), ct).ConfigureAwait(false);
                    burstComplete += result.FirstAttempt.Complete ? 1 : 0;
                    burst.Add((body, result.Address));
                }
                var burstSeconds = _clock.Elapsed.TotalSeconds - burstStarted;
                var after = StorageSnapshot.Take(swarm.Nodes);
                for (var retry = 0; retry < 5 && (await alice.MessengerDatabase.PendingAsync(ct).ConfigureAwait(false)).Count > 0; retry++)
                {
                    await alice.Messenger.DeliverPendingAsync(ct).ConfigureAwait(false);
                }
                var pending = (await alice.MessengerDatabase.PendingAsync(ct).ConfigureAwait(false)).Count;
                Diagnostics.Log($"messaging: {burstComplete} of {settings.Burst} sends complete in {burstSeconds:F2} s ({burstComplete / burstSeconds:F0}/s); {pending} pending after retries");
                var drainStarted = _clock.Elapsed.TotalSeconds;
                var roundsBefore = bob.Messenger.FetchRounds;
                long drainRounds;
                Dictionary<string, int> copies;
                await using (var receiver = new PollingReceiver(bob.Messenger, _clock, settings.Pause, settings.Watch))
                {
                    await Task.WhenAll(burst.Select(b => ArrivedAsync(receiver, b.Body))).ConfigureAwait(false);
                    drainRounds = bob.Messenger.FetchRounds - roundsBefore;
                    copies = new Dictionary<string, int>(receiver.Copies, StringComparer.Ordinal);
                }
                var drainSeconds = _clock.Elapsed.TotalSeconds - drainStarted;
                var receivedOnce = burst.Count(b => copies.GetValueOrDefault(b.Body) == 1);
                var burstLost = burst.Where(b => !copies.ContainsKey(b.Body)).ToList();
                foreach (var (body, address) in burstLost.Take(3))
                {
                    await LogLostAsync(swarm, bob, body, address, ct).ConfigureAwait(false);
                }

                var held = after.Envelopes - before.Envelopes;
                var measuredCopies = after.DatabaseEnvelopes - before.DatabaseEnvelopes;
                var databaseBytesPerCopy = measuredCopies > 0 ? (double)(after.DatabaseBytes - before.DatabaseBytes) / measuredCopies : double.NaN;
                var onlineMs = Statistics.Median(delivery);
                var lookupMs = Statistics.Median(lookups);
                return new JsonObject
                {
                    ["nodes"] = settings.Nodes,
                    ["online_ms"] = Figure(onlineMs),
                    ["offline_ms"] = Figure(Statistics.Median(offline)),
                    ["lookup_ms"] = Figure(lookupMs),
                    ["delivery_vs_lookup"] = Figure(onlineMs / lookupMs, 2),
                    ["msgs_per_s"] = Figure(burstComplete / burstSeconds),
                    ["replication"] = settings.Replication,
                    ["bucket_size"] = settings.BucketSize,
                    ["message_bytes"] = settings.BodyBytes,
                    ["receiver"] = settings.Watch ? "watch" : "poll",
                    // A person's mailbox traffic under throwaway identities (docs/protocol.md §14.6), their idle
                    // connections capped; the connections Alice's and Bob's held open after the online phase.
                    ["ephemeral_identities"] = settings.Ephemeral,
                    ["ephemeral_connection_cap"] = settings.EphemeralConnections,
                    ["ephemeral_connections"] = ephemeralConnections,
                    ["poll_pause_ms"] = settings.Pause.TotalMilliseconds,
                    ["online_messages"] = settings.Online,
                    ["online_lost"] = onlineLost,
                    ["online_p95_ms"] = Figure(Statistics.Quantile(delivery, 0.95)),
                    ["send_ms"] = Figure(Statistics.Median(sends)),
                    ["empty_poll_ms"] = Figure(Statistics.Median(emptyPolls)),
                    ["lookup_p95_ms"] = Figure(Statistics.Quantile(lookups, 0.95)),
                    ["offline_messages"] = settings.Rounds * settings.PerRound,
                    ["offline_lost"] = offlineLost,
                    ["offline_p95_ms"] = Figure(Statistics.Quantile(offline, 0.95)),
                    ["offline_rejoin_ms"] = Figure(Statistics.Median(rejoin)),
                    ["offline_send_to_receipt_ms"] = Figure(Statistics.Median(offlineSendToReceipt)),
                    ["burst_messages"] = settings.Burst,
                    ["burst_complete_first_attempt"] = burstComplete,
                    ["burst_pending_after_retries"] = pending,
                    ["burst_received_once"] = receivedOnce,
                    ["burst_lost"] = burstLost.Count,
                    ["burst_drain_s"] = Figure(drainSeconds, 2),
                    ["burst_drain_vs_lookup"] = Figure(drainSeconds * 1000 / lookupMs),
                    // Fetches (poll rounds or watches) Bob made until the last one arrived, the one under way included.
                    ["burst_drain_rounds"] = drainRounds,
                    ["incomplete_first_attempts"] = incomplete,
                    ["copies_per_message"] = Figure((double)held / settings.Burst, 2),
                    ["envelope_bytes"] = held > 0 ? Figure((double)(after.EnvelopeBytes - before.EnvelopeBytes) / held) : null,
                    ["db_bytes_per_copy"] = Figure(databaseBytesPerCopy),
                    ["bytes_per_message_all_holders"] = Figure((double)(after.EnvelopeBytes - before.EnvelopeBytes) / settings.Burst),
                    ["db_bytes_per_message_all_holders"] = Figure(databaseBytesPerCopy * held / settings.Burst),
                    ["join_s"] = Figure(joinSeconds, 2),
                    ["mean_table_size"] = Figure(tableSize),
                    ["total_s"] = Figure(_clock.Elapsed.TotalSeconds),
                };
            }
            finally
            {
                await bob.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>Every node's settings: a mailbox node (no messenger) with the benchmark's r and k, its database a file.</summary>
        private DioneNodeOptions NodeTemplate()
        {
            var dht = new KademliaDhtOptions();
            return new DioneNodeOptions
            {
                RunMessenger = false,
                Mailbox = new MailboxServiceOptions
                {
                    EphemeralIdentities = settings.Ephemeral,
                    MaxEphemeralConnections = settings.EphemeralConnections,
                    Overlay = new DioneOverlayOptions { Replication = settings.Replication },
                    OverlayDht = settings.BucketSize == KademliaDefaults.K ? dht : dht with { Kad = dht.Kad with { BucketSize = settings.BucketSize } },
                },
            };
        }

        /// <summary>A numbered body of the configured size: the number makes each one distinct.</summary>
        private string Body() => $"{++_numbered:D6} " + new string('x', settings.BodyBytes - 7);

        /// <summary>The clock's seconds when <paramref name="body"/> arrived, or null when it did not within the wait.</summary>
        private async Task<double?> ArrivedAsync(PollingReceiver receiver, string body)
        {
            try
            {
                return (await receiver.ArrivalAsync(body, settings.Wait).ConfigureAwait(false)).PollReturnedAt;
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        private async Task LogLostAsync(LocalSwarm swarm, DioneNode receiver, string body, byte[] address, CancellationToken ct) =>
            Diagnostics.Log($"messaging: message {body[..6]} did not arrive within {settings.Wait.TotalSeconds:0} s: "
                + await HolderDiagnosis.DescribeAsync(swarm.Nodes, receiver, address, settings.Replication, ct).ConfigureAwait(false));

        private static JsonNode? Figure(double value, int digits = 1) => double.IsFinite(value) ? JsonLine.Round(value, digits) : null;
    }
}
