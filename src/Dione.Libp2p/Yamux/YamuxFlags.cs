namespace Dione.Libp2p.Yamux;

/// <summary>The flag bits of a yamux frame header.</summary>
[Flags]
internal enum YamuxFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Opens a stream (or marks an outbound ping).</summary>
    Syn = 0x1,

    /// <summary>Acknowledges a stream (or marks a ping response).</summary>
    Ack = 0x2,

    /// <summary>Half-closes the stream: the sender will send no more data.</summary>
    Fin = 0x4,

    /// <summary>Resets the stream immediately.</summary>
    Rst = 0x8,
}
