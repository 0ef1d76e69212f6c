using System.CommandLine;
using System.Globalization;
using Dione.Cli.Api;
using Dione.Cli.Api.Endpoints;
using Dione.Cli.Api.Models;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione perf PEER</c>: throughput with libp2p's <c>/perf/1.0.0</c>. Through the repo's running daemon when there is
/// one and the target names a peer (the API's <c>dione/perf</c>); else from a short-lived node, which needs a multiaddr.
/// </summary>
public static class PerfCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("peer") { Description = "Peer id (found by the running daemon) or multiaddr of a peer that serves /perf/1.0.0" };
        var upload = new Option<ulong>("--upload-bytes") { Description = "Bytes to send", DefaultValueFactory = _ => DionePerfEndpoint.DefaultBytes };
        var download = new Option<ulong>("--download-bytes") { Description = "Bytes to receive", DefaultValueFactory = _ => DionePerfEndpoint.DefaultBytes };
        var json = CommonOptions.Json();
        var command = new Command("perf", "Measure throughput to a peer with /perf/1.0.0") { target, upload, download, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var peer = PeerTarget.Parse(parse.GetValue(target)!);
            var (uploadBytes, downloadBytes) = (parse.GetValue(upload), parse.GetValue(download));
            PerfOutput result;
            if (peer.NamesPeer && await DaemonApi.TryConnectAsync(parse, cancellationToken) is { } api)
            {
                using (api)
                {
                    var options = new[]
                    {
                        ("upload-bytes", uploadBytes.ToString(CultureInfo.InvariantCulture)),
                        ("download-bytes", downloadBytes.ToString(CultureInfo.InvariantCulture)),
                    };
                    result = await api.PostAsync<PerfOutput>("dione/perf", [peer.Text], options, cancellationToken: cancellationToken);
                }
            }
            else
            {
                result = await ShortLivedAsync(peer.AddressWithoutDaemon("perf", DaemonApi.RepoPath(parse)), uploadBytes, downloadBytes, cancellationToken);
            }
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(result);
                return 0;
            }
            Console.Out.WriteLine($"Uploaded   {result.UploadBytes} bytes in {Seconds(result.UploadSeconds)} s ({Mbps(result.UploadBitsPerSecond)} Mbit/s)");
            Console.Out.WriteLine($"Downloaded {result.DownloadBytes} bytes in {Seconds(result.DownloadSeconds)} s ({Mbps(result.DownloadBitsPerSecond)} Mbit/s)");
            return 0;
        });
        return command;
    }

    private static async Task<PerfOutput> ShortLivedAsync(Multiaddress address, ulong uploadBytes, ulong downloadBytes, CancellationToken cancellationToken)
    {
        using var loggerFactory = NodeFactory.CreateLoggerFactory();
        await using var node = NodeFactory.CreateShortLived(loggerFactory);
        var connection = await TargetAddress.DialAsync(node.Host, address, cancellationToken);
        try
        {
            return PerfOutput.Of(await node.Host.Perf.RunAsync(connection.RemotePeer, uploadBytes, downloadBytes, cancellationToken));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or Dione.Libp2p.Multistream.ProtocolNegotiationException)
        {
            throw new CliException($"perf failed: {e.Message}");
        }
    }

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Mbps(double bitsPerSecond) => (bitsPerSecond / 1e6).ToString("0.#", CultureInfo.InvariantCulture);
}
