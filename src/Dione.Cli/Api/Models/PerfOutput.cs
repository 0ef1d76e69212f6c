using Dione.Libp2p.Protocols.Perf;

namespace Dione.Cli.Api.Models;

/// <summary>
/// The result of a <c>/perf/1.0.0</c> run: the fields of go-libp2p's perf client output (<c>type</c>,
/// <c>timeSeconds</c>, <c>uploadBytes</c>, <c>downloadBytes</c>) with kubo's capitalised names, and each direction's
/// time and throughput.
/// </summary>
public sealed record PerfOutput(
    string Type,
    double TimeSeconds,
    ulong UploadBytes,
    ulong DownloadBytes,
    double UploadSeconds,
    double DownloadSeconds,
    double UploadBitsPerSecond,
    double DownloadBitsPerSecond)
{
    /// <summary>go's perf client names its one result line "final".</summary>
    public const string FinalType = "final";

    public static PerfOutput Of(PerfResult result) => new(
        FinalType,
        result.TotalTime.TotalSeconds,
        result.UploadBytes,
        result.DownloadBytes,
        result.UploadTime.TotalSeconds,
        result.DownloadTime.TotalSeconds,
        result.UploadBitsPerSecond,
        result.DownloadBitsPerSecond);
}
