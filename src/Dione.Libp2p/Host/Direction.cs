namespace Dione.Libp2p.Host;

/// <summary>Which side opened a connection or stream.</summary>
public enum Direction
{
    Inbound,
    Outbound,
}
