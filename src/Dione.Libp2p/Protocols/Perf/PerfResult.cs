namespace Dione.Libp2p.Protocols.Perf;

/// <summary>The outcome of one perf run.</summary>
public sealed record PerfResult(ulong UploadBytes, ulong DownloadBytes, TimeSpan UploadTime, TimeSpan DownloadTime)
{
    public TimeSpan TotalTime => UploadTime + DownloadTime;

    public double UploadBitsPerSecond => UploadTime > TimeSpan.Zero ? UploadBytes * 8 / UploadTime.TotalSeconds : 0;

    public double DownloadBitsPerSecond => DownloadTime > TimeSpan.Zero ? DownloadBytes * 8 / DownloadTime.TotalSeconds : 0;
}
