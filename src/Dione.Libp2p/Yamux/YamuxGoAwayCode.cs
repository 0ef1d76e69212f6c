namespace Dione.Libp2p.Yamux;

/// <summary>The error codes a GoAway frame carries in its length field.</summary>
internal enum YamuxGoAwayCode : uint
{
    /// <summary>Normal termination.</summary>
    Normal = 0,

    /// <summary>The peer violated the protocol.</summary>
    ProtocolError = 1,

    /// <summary>An internal error ended the session.</summary>
    InternalError = 2,
}
