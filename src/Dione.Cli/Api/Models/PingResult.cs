namespace Dione.Cli.Api.Models;

/// <summary>One line of kubo's <c>ping</c> stream: <c>Time</c> is the round trip in nanoseconds (Go's Duration).</summary>
public sealed record PingResult(bool Success, long Time, string Text);
