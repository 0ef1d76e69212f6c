namespace Dione.Libp2p.Yamux;

/// <summary>The type byte of a yamux frame header.</summary>
internal enum YamuxFrameType : byte
{
    /// <summary>Carries stream data; the length field is the payload size.</summary>
    Data = 0,

    /// <summary>Grows the sender's window for a stream; the length field is the delta.</summary>
    WindowUpdate = 1,

    /// <summary>Round-trip probe on stream 0; the length field is an opaque value echoed back.</summary>
    Ping = 2,

    /// <summary>Session termination on stream 0; the length field is a <see cref="YamuxGoAwayCode"/>.</summary>
    GoAway = 3,
}
