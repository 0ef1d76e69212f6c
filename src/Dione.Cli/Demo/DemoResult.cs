namespace Dione.Cli.Demo;

/// <summary>How the demo went: the transcript, every message, and the error when it failed.</summary>
internal sealed record DemoResult(
    int Nodes, int Replication, double Seconds, IReadOnlyList<string> Transcript, IReadOnlyList<DemoMessage> Messages, string? Error)
{
    public bool Ok => Error is null;
}
