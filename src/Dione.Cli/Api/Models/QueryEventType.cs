namespace Dione.Cli.Api.Models;

/// <summary>go-libp2p's <c>routing.QueryEventType</c>, whose numbers kubo's routing commands stream.</summary>
public enum QueryEventType
{
    SendingQuery = 0,
    PeerResponse = 1,
    FinalPeer = 2,
    QueryError = 3,
    Provider = 4,
    Value = 5,
    AddingPeer = 6,
    DialingPeer = 7,
}
