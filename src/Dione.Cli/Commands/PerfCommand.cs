using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Dione.Cli.Commands;

/// <summary><c>dione perf MULTIADDR</c>: throughput with libp2p's <c>/perf/1.0.0</c> from a short-lived node.</summary>
public static class PerfCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("multiaddr") { Description = "Address of a peer that serves /perf/1.0.0" };
        var upload = new Option<ulong>("--upload-bytes") { Description = "Bytes to send", DefaultValueFactory = _ => 100UL * 1024 * 1024 };
        var download = new Option<ulong>("--download-bytes") { Description = "Bytes to receive", DefaultValueFactory = _ => 100UL * 1024 * 1024 };
        var json = CommonOptions.Json();
        var command = new Command("perf", "Measure throughput to a peer with /perf/1.0.0") { target, upload, download, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = TargetAddress.Parse(parse.GetValue(target)!);
            using var loggerFactory = NodeFactory.CreateLoggerFactory();
            await using var node = NodeFactory.CreateShortLived(loggerFactory);
            var host = node.Host;
            var connection = await TargetAddress.DialAsync(host, address, cancellationToken);
            Dione.Libp2p.Protocols.Perf.PerfResult result;
            try
            {
                result = await host.Perf.RunAsync(connection.RemotePeer, parse.GetValue(upload), parse.GetValue(download), cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or Dione.Libp2p.Multistream.ProtocolNegotiationException)
            {
                throw new CliException($"perf failed: {e.Message}");
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    type = "final",
                    timeSeconds = result.TotalTime.TotalSeconds,
                    uploadBytes = result.UploadBytes,
                    downloadBytes = result.DownloadBytes,
                    uploadBitsPerSecond = result.UploadBitsPerSecond,
                    downloadBitsPerSecond = result.DownloadBitsPerSecond,
                }));
                return 0;
            }
            Console.Out.WriteLine($"Uploaded   {result.UploadBytes} bytes in {Seconds(result.UploadTime)} s ({Mbps(result.UploadBitsPerSecond)} Mbit/s)");
            Console.Out.WriteLine($"Downloaded {result.DownloadBytes} bytes in {Seconds(result.DownloadTime)} s ({Mbps(result.DownloadBitsPerSecond)} Mbit/s)");
            return 0;
        });
        return command;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Mbps(double bitsPerSecond) => (bitsPerSecond / 1e6).ToString("0.#", CultureInfo.InvariantCulture);
}
