namespace Dione.Cli.Demo;

/// <summary>A message of the demo story: who sent it to whom, how its store went, and when it arrived (how many times).</summary>
internal sealed class DemoMessage(string from, string to, string text, bool recipientOffline)
{
    public string From { get; } = from;

    public string To { get; } = to;

    public string Text { get; } = text;

    /// <summary>True when the recipient's node was stopped while the message was sent.</summary>
    public bool RecipientOffline { get; } = recipientOffline;

    /// <summary>Seconds since the demo started when the send began.</summary>
    public double SentAt { get; set; }

    /// <summary>How long the send took, until the holders acknowledged (or refused) the envelope.</summary>
    public double StoreMs { get; set; }

    public int Holders { get; set; }

    public int Wanted { get; set; }

    /// <summary>Seconds since the demo started when the recipient's poll returned it first, or null.</summary>
    public double? ReceivedAt { get; set; }

    /// <summary>How many times it reached the recipient's inbox (exactly once is right).</summary>
    public int Copies { get; set; }

    public double? LatencyMs => ReceivedAt is { } received ? (received - SentAt) * 1000 : null;
}
