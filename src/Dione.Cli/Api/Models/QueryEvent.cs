namespace Dione.Cli.Api.Models;

/// <summary>
/// One line of a routing command's stream, as go-libp2p's <c>routing.QueryEvent</c> marshals:
/// <c>{"Extra":…,"ID":…,"Responses":[…]|null,"Type":N}</c>. <c>ID</c> is "" when no peer is meant.
/// </summary>
public sealed record QueryEvent(string Extra, string ID, IReadOnlyList<AddrInfo>? Responses, QueryEventType Type)
{
    public static QueryEvent FinalPeer(AddrInfo peer) => new("", "", [peer], QueryEventType.FinalPeer);

    public static QueryEvent FinalPeer(string peerId) => new("", peerId, null, QueryEventType.FinalPeer);

    public static QueryEvent Provider(AddrInfo peer) => new("", "", [peer], QueryEventType.Provider);

    public static QueryEvent Error(string message, string peerId = "") => new(message, peerId, null, QueryEventType.QueryError);

    public static QueryEvent Value(string base64, string peerId = "") => new(base64, peerId, null, QueryEventType.Value);
}
