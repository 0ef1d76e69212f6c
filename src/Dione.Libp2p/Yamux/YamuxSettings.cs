namespace Dione.Libp2p.Yamux;

/// <summary>
/// Tuning and limits of a <see cref="YamuxSession"/>. Every property has a safe default;
/// the session validates the values and takes a copy when it is constructed (later changes do not affect it).
/// </summary>
public sealed class YamuxSettings
{
    /// <summary>Largest <see cref="MaxFrameSize"/> accepted (it also sizes the send batch buffer).</summary>
    public const int MaxAllowedFrameSize = 4 * 1024 * 1024;

    /// <summary>
    /// Receive window granted to the remote when a stream opens (announced with the SYN or ACK).
    /// At least 256 KiB (the protocol's initial window), at most <see cref="MaxStreamWindow"/>.
    /// </summary>
    public int InitialStreamWindow { get; set; } = YamuxProtocol.InitialStreamWindow;

    /// <summary>Upper bound of a stream's auto-tuned receive window. Bounds buffered memory per stream.</summary>
    public int MaxStreamWindow { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most streams opened by the remote that may be open at once; more are reset (RST).</summary>
    public int MaxInboundStreams { get; set; } = 256;

    /// <summary>Most streams opened by this side that may be open at once; opening more fails.</summary>
    public int MaxOutboundStreams { get; set; } = 1024;

    /// <summary>
    /// Inbound streams waiting for <see cref="YamuxSession.AcceptStreamAsync"/>; more are reset (RST).
    /// The same number bounds this side's streams that the remote has not acknowledged yet (the ACK backlog):
    /// opening more waits for an ACK.
    /// </summary>
    public int AcceptBacklog { get; set; } = 256;

    /// <summary>Interval of keep-alive pings; a ping unanswered within <see cref="PingTimeout"/> closes the session. Null turns keep-alive off.</summary>
    public TimeSpan? KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="YamuxSession.PingAsync"/> (and a keep-alive ping) waits for the answer.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long <see cref="YamuxSession.OpenStreamAsync"/> waits for room in the ACK backlog.</summary>
    public TimeSpan StreamOpenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time one write to the transport may take; a slower (stalled) transport closes the session.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a disposed stream waits for the remote's FIN before it resets the stream to free it.</summary>
    public TimeSpan StreamCloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long closing the session waits for queued frames (such as the GoAway) to reach the transport.</summary>
    public TimeSpan CloseFlushTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest payload of a data frame this side sends (1 KiB to 4 MiB).</summary>
    public int MaxFrameSize { get; set; } = 256 * 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is outside its allowed range.</summary>
    public void Validate()
    {
        if (InitialStreamWindow < YamuxProtocol.InitialStreamWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialStreamWindow), InitialStreamWindow, "Must be at least 256 KiB.");
        }
        if (MaxStreamWindow < InitialStreamWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStreamWindow), MaxStreamWindow, "Must be at least InitialStreamWindow.");
        }
        RequirePositive(MaxInboundStreams, nameof(MaxInboundStreams));
        RequirePositive(MaxOutboundStreams, nameof(MaxOutboundStreams));
        RequirePositive(AcceptBacklog, nameof(AcceptBacklog));
        if (KeepAliveInterval is { } keepAlive)
        {
            RequirePositive(keepAlive, nameof(KeepAliveInterval));
        }
        RequirePositive(PingTimeout, nameof(PingTimeout));
        RequirePositive(StreamOpenTimeout, nameof(StreamOpenTimeout));
        RequirePositive(WriteTimeout, nameof(WriteTimeout));
        RequirePositive(StreamCloseTimeout, nameof(StreamCloseTimeout));
        RequirePositive(CloseFlushTimeout, nameof(CloseFlushTimeout));
        if (MaxFrameSize is < 1024 or > MaxAllowedFrameSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "Must be between 1 KiB and 4 MiB.");
        }
    }

    /// <summary>A copy, so that a session is not affected by later changes to the caller's instance.</summary>
    internal YamuxSettings Clone() => (YamuxSettings)MemberwiseClone();

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        // Timer-based waits cannot exceed about 49 days.
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive and at most ~49 days.");
        }
    }
}
