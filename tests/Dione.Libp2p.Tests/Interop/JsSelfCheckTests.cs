using System.Text.Json;
using Dione.TestSupport.Interop;

namespace Dione.Libp2p.Tests.Interop;

/// <summary>Proves the js interop harness itself: a js dialer against a js peer, both real node processes.</summary>
public sealed class JsSelfCheckTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ChecksTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Js_dialer_passes_connect_ping_identify_echo100_against_js_peer()
    {
        await using var peer = JsPeerProcess.StartPeer("--agent", "dione-selfcheck-peer/1");
        var ready = await peer.WaitForEventAsync("ready", StartTimeout);
        var peerId = ready.GetProperty("peerId").GetString()!;
        var address = ready.GetProperty("addrs")[0].GetString()!;
        Assert.StartsWith("/ip4/127.0.0.1/tcp/", address, StringComparison.Ordinal);
        Assert.EndsWith($"/p2p/{peerId}", address, StringComparison.Ordinal);
        Assert.Contains("/dione/echo/1.0.0", Strings(ready.GetProperty("protocols")));

        string[] checks = ["connect", "ping", "identify", "echo100"];
        await using var dialer = JsPeerProcess.StartDialer(address, checks, "--agent", "dione-selfcheck-dialer/1");
        var results = await dialer.ReadAllResultsAsync(ChecksTimeout);
        var exitCode = await dialer.WaitForExitAsync(StartTimeout);

        Assert.Equal(checks, results.Select(r => r.GetProperty("check").GetString()));
        foreach (var result in results)
        {
            Assert.True(result.GetProperty("ok").GetBoolean(), $"{result.GetRawText()}\n{dialer.Describe()}");
        }

        Assert.Equal(0, exitCode);

        var connect = results[0];
        Assert.Equal(peerId, connect.GetProperty("remotePeer").GetString());
        Assert.Equal("/noise", connect.GetProperty("encryption").GetString());
        Assert.Equal("/yamux/1.0.0", connect.GetProperty("multiplexer").GetString());

        var identify = results[2];
        Assert.Equal("dione-selfcheck-peer/1", identify.GetProperty("agentVersion").GetString());
        Assert.Contains("/ipfs/ping/1.0.0", Strings(identify.GetProperty("protocols")));

        var seenByPeer = await peer.WaitForEventAsync("identify", StartTimeout);
        Assert.Equal("dione-selfcheck-dialer/1", seenByPeer.GetProperty("agentVersion").GetString());
    }

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];
}
