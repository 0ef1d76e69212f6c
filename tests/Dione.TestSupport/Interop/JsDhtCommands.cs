using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dione.TestSupport.Interop;

/// <summary>
/// The dht-peer.mjs commands (interop/js/README.md) as typed calls. Each returns the command's result line
/// and throws <see cref="InvalidOperationException"/> when the command failed; keys and values are bytes here, hex on the wire.
/// </summary>
public static class JsDhtCommands
{
    /// <summary>Dials <paramref name="address"/> (with /p2p/) and, by default, waits until js has the peer in its routing table.</summary>
    public static Task<JsonElement> ConnectAsync(this JsDhtPeer peer, string address, bool waitForRoutingTable = true) =>
        peer.CommandAsync("connect", new JsonObject { ["addr"] = address, ["waitForRoutingTable"] = waitForRoutingTable });

    /// <summary>A network lookup of <paramref name="peerId"/>: peerId, addrs, from (the peer that named it), queried.</summary>
    public static Task<JsonElement> FindPeerAsync(this JsDhtPeer peer, string peerId) =>
        peer.CommandAsync("findPeer", new JsonObject { ["peerId"] = peerId });

    /// <summary>Announces <paramref name="cid"/>: sentTo lists the peers that took the ADD_PROVIDER.</summary>
    public static Task<JsonElement> ProvideAsync(this JsDhtPeer peer, string cid) =>
        peer.CommandAsync("provide", new JsonObject { ["cid"] = cid });

    /// <summary>Providers of <paramref name="cid"/> (peerId, addrs, from, sources), at most <paramref name="max"/>, possibly none.</summary>
    public static Task<JsonElement> FindProvidersAsync(this JsDhtPeer peer, string cid, int max = 20) =>
        peer.CommandAsync("findProviders", new JsonObject { ["cid"] = cid, ["max"] = max });

    /// <summary>Providers of <paramref name="cid"/> in the js node's own provider store.</summary>
    public static Task<JsonElement> LocalProvidersAsync(this JsDhtPeer peer, string cid) =>
        peer.CommandAsync("localProviders", new JsonObject { ["cid"] = cid });

    /// <summary>Puts the js node's own /pk/ record: key, value (hex), storedBy.</summary>
    public static Task<JsonElement> PutPkAsync(this JsDhtPeer peer) => peer.CommandAsync("putPk");

    /// <summary>Puts a record: storedBy lists the peers whose PUT_VALUE echo matched.</summary>
    public static Task<JsonElement> PutAsync(this JsDhtPeer peer, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        peer.CommandAsync("put", new JsonObject { ["key"] = Convert.ToHexStringLower(key), ["value"] = Convert.ToHexStringLower(value) });

    /// <summary>js's get-value lookup: value (hex, the best), from, sources; ok is false when nobody had one.</summary>
    public static Task<JsonElement> TryGetAsync(this JsDhtPeer peer, ReadOnlySpan<byte> key) =>
        peer.TryCommandAsync("get", new JsonObject { ["key"] = Convert.ToHexStringLower(key) });

    /// <summary>js's get-value lookup; throws when nobody had a value.</summary>
    public static Task<JsonElement> GetAsync(this JsDhtPeer peer, ReadOnlySpan<byte> key) =>
        peer.CommandAsync("get", new JsonObject { ["key"] = Convert.ToHexStringLower(key) });

    /// <summary>The record under <paramref name="key"/> in the js node's own record store: value, timeReceived.</summary>
    public static Task<JsonElement> GetLocalAsync(this JsDhtPeer peer, ReadOnlySpan<byte> key) =>
        peer.CommandAsync("getLocal", new JsonObject { ["key"] = Convert.ToHexStringLower(key) });

    /// <summary>The peer ids in the js node's kad routing table.</summary>
    public static async Task<IReadOnlyList<string>> RoutingTableAsync(this JsDhtPeer peer) =>
        Strings((await peer.CommandAsync("routingTable")).GetProperty("peers"));

    /// <summary>js's own liveness check (a ping each) on every contact now, evicting failures: alive, evicted.</summary>
    public static Task<JsonElement> CheckLivenessAsync(this JsDhtPeer peer) => peer.CommandAsync("checkLiveness");

    /// <summary>The strings of a JSON array.</summary>
    public static IReadOnlyList<string> Strings(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.GetString() ?? "")];

    /// <summary>A string property decoded from hex.</summary>
    public static byte[] Hex(JsonElement result, string property) =>
        Convert.FromHexString(result.GetProperty(property).GetString() ?? "");
}
