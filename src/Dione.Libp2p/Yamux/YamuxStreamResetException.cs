namespace Dione.Libp2p.Yamux;

/// <summary>The stream was reset (RST), by this side or by the remote; pending and later I/O on it fails with this.</summary>
public sealed class YamuxStreamResetException : YamuxException
{
    /// <summary>Creates the exception for stream <paramref name="streamId"/>.</summary>
    public YamuxStreamResetException(uint streamId, bool resetByRemote)
        : base(resetByRemote ? $"Yamux stream {streamId} was reset by the remote." : $"Yamux stream {streamId} was reset locally.")
    {
        StreamId = streamId;
        ResetByRemote = resetByRemote;
    }

    /// <summary>The id of the reset stream.</summary>
    public uint StreamId { get; }

    /// <summary>True when the remote sent the RST, false when this side reset the stream.</summary>
    public bool ResetByRemote { get; }
}
