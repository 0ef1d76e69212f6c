using Dione.Benchmarks;
using Dione.Benchmarks.Curves;
using Dione.Benchmarks.Dht;
using Dione.Benchmarks.Handshake;
using Dione.Benchmarks.Messaging;
using Dione.Benchmarks.Ratchet;

const string Usage = """
    usage: dotnet run -c Release --project tests/Dione.Benchmarks -- <mode> [args] [--option value ...]
    modes (each prints JSON lines on stdout, diagnostics on stderr):
      chacha [--seconds 2]                       ChaCha20-Poly1305, 64 KiB chunks, one thread
      tcp [--bytes 256MiB]                       plain loopback socket pair moving the bytes
      listen|perf-server [--listen MA]           C# host serving perf/ping until SIGTERM (--lifetime-seconds 900)
      perf-client ADDR [--upload-bytes 256MiB] [--download-bytes 256MiB] [--warmup-bytes 64MiB]
      setups ADDR [N] [--warmup 10]              N sequential full connection setups to the first ping byte
      rtt [--delay-ms 20] [--trials 5]           RTTs to the first stream byte through a delaying proxy
      proxy TARGET [--delay-ms 20]               the delaying proxy alone, in front of TARGET, until SIGTERM
      dht-sim [--nodes 1000] [--lookups 2000] [--churn 0.3] [--tables join,converged] [--lookup engine|stand-in]
                                                 DHT lookups over an in-memory network of routing tables
      dht-tcp [--nodes 50] [--lookups 200] [--churn 0.3] [--lookup engine|stand-in]
                                                 DHT lookups between KademliaDht nodes on 127.0.0.1
      ratchet [--seconds 1] [--message-bytes 1024]
                                                 messaging core: seal/open per second, setup, state, primitives
      curves                                     X25519/Ed25519 in each candidate curve library (BenchmarkDotNet table)
      noise-handshake                            full Noise XX handshakes over an in-memory duplex (BenchmarkDotNet table)
      messaging [--nodes 50] [--replication 5] [--messages 30] [--offline-rounds 5] [--offline-messages 2]
                [--burst 300] [--message-bytes 100] [--poll-pause-ms 10] [--wait-seconds 60] [--bucket-size 20]
                                                 Dione messaging over a swarm on 127.0.0.1: delivery online and
                                                 offline vs one overlay lookup, one sender's rate, storage per envelope
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var arguments = new BenchmarkArguments(args);
    return args[0] switch
    {
        "chacha" => RunChaCha(arguments),
        "tcp" => await RunTcpAsync(arguments),
        "listen" or "perf-server" => await ListenMode.RunAsync(arguments),
        "perf-client" => await PerfClientMode.RunAsync(arguments),
        "setups" => await SetupsMode.RunAsync(arguments),
        "rtt" => await RoundTripMode.RunAsync(arguments),
        "proxy" => await ProxyMode.RunAsync(arguments),
        "dht-sim" => await DhtSimMode.RunAsync(arguments),
        "dht-tcp" => await DhtTcpMode.RunAsync(arguments),
        "ratchet" => RunRatchet(arguments),
        "messaging" => await MessagingMode.RunAsync(arguments),
        "curves" => BenchmarkDotNetMode.Run<CurveLibraryBenchmark>(arguments),
        "noise-handshake" => BenchmarkDotNetMode.Run<NoiseHandshakeBenchmark>(arguments),
        _ => throw new UsageException($"unknown mode '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (Exception e)
{
    Dione.Benchmarks.Diagnostics.Log($"{args[0]} failed: {e}");
    return 1;
}

static int RunChaCha(BenchmarkArguments arguments)
{
    var seconds = arguments.Number("seconds", 2);
    arguments.RejectUnknownOptions();
    JsonLine.Write(ChaChaBenchmark.Run(TimeSpan.FromSeconds(seconds)));
    return 0;
}

static int RunRatchet(BenchmarkArguments arguments)
{
    var seconds = arguments.Number("seconds", 1);
    var messageBytes = arguments.Count("message-bytes", 1024, minimum: 0);
    arguments.RejectUnknownOptions();
    foreach (var line in RatchetBenchmark.Run(TimeSpan.FromSeconds(seconds), messageBytes))
    {
        JsonLine.Write(line);
    }
    return 0;
}

static async Task<int> RunTcpAsync(BenchmarkArguments arguments)
{
    var bytes = arguments.Bytes("bytes", 256L << 20);
    var timeout = TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 60));
    arguments.RejectUnknownOptions();
    using var limit = new CancellationTokenSource(timeout);
    JsonLine.Write(await LoopbackTcpBenchmark.RunAsync(bytes, limit.Token));
    return 0;
}
