using System.Security.Cryptography;
using System.Text.Json;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Protocols.Identify;
using Dione.Libp2p.Protocols.Ping;
using Dione.Libp2p.Tests.TestSupport;
using Dione.TestSupport.Interop;

namespace Dione.Libp2p.Tests.Interop;

/// <summary>Our host against real js-libp2p 3 peers (interop/js), in both directions.</summary>
[Collection(InteropCollection.Name)]
public sealed class JsInteropTests
{
    private const string Echo = "/dione/echo/1.0.0";
    private const long TransferBytes = 256L * 1024 * 1024;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ChecksTimeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task Js_dialer_connects_pings_identifies_echoes_on_100_streams_and_moves_256_MiB_through_us()
    {
        await using var host = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync).WithAgentVersion("dione-interop/1"));
        var identified = new TaskCompletionSource<PeerInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Identify.PeerIdentified += (_, p) => identified.TrySetResult(p);
        string[] checks = ["connect", "ping", "identify", "echo100", "transfer", "perf"];

        await using var dialer = JsPeerProcess.StartDialer(host.DialAddress().ToString(), checks, "--agent", "js-dialer/1", "--bytes", TransferBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var results = await dialer.ReadAllResultsAsync(ChecksTimeout);

        Assert.Equal(checks, results.Select(r => r.GetProperty("check").GetString()));
        foreach (var result in results)
        {
            Assert.True(result.GetProperty("ok").GetBoolean(), $"{result.GetRawText()}\n{dialer.Describe()}");
        }
        Assert.Equal(0, await dialer.WaitForExitAsync(StartTimeout));
        var connect = results[0];
        Assert.Equal(host.PeerId.ToString(), connect.GetProperty("remotePeer").GetString());
        Assert.Equal("/noise", connect.GetProperty("encryption").GetString());
        Assert.Equal("/yamux/1.0.0", connect.GetProperty("multiplexer").GetString());
        var identify = results[2];
        Assert.Equal("dione-interop/1", identify.GetProperty("agentVersion").GetString());
        Assert.Equal("ipfs/0.1.0", identify.GetProperty("protocolVersion").GetString());
        var protocols = Strings(identify.GetProperty("protocols"));
        Assert.Contains(Echo, protocols);
        Assert.Contains(PingService.ProtocolId, protocols);
        Assert.Contains(IdentifyService.PushProtocolId, protocols);
        Assert.Contains(host.ListenAddresses[0].ToString(), Strings(identify.GetProperty("listenAddrs")).Select(StripPeer));

        var js = await identified.Task.WaitAsync(StartTimeout);
        Assert.Equal("js-dialer/1", js.AgentVersion);
        Assert.Contains(PingService.ProtocolId, js.Protocols);
        Assert.Contains(IdentifyService.ProtocolId, js.Protocols);
    }

    [Fact]
    public async Task We_dial_a_js_peer_ping_identify_and_it_identifies_us()
    {
        await using var peer = JsPeerProcess.StartPeer("--agent", "js-peer/1");
        var ready = await peer.WaitForEventAsync("ready", StartTimeout);
        await using var host = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync).WithAgentVersion("dione-interop/1"));
        var address = Multiaddress.Parse(ready.GetProperty("addrs")[0].GetString()!);

        var connection = await host.DialAsync(address, Timeouts.Token());
        var info = await host.Identify.IdentifyAsync(connection, Timeouts.Token());
        var rtts = await host.Ping.PingAsync(connection.RemotePeer, 3, Timeouts.Token()).ToListAsync();

        Assert.Equal(ready.GetProperty("peerId").GetString(), connection.RemotePeer.ToString());
        Assert.Equal(3, rtts.Count);
        Assert.Equal("js-peer/1", info.AgentVersion);
        Assert.Contains(Echo, info.Protocols);
        Assert.Contains(address.WithoutPeerId(), info.Addresses);
        Assert.NotNull(info.PeerRecordSeq);
        Assert.Equal(connection.LocalAddress, info.ObservedAddress);

        var seen = await WaitForIdentifyOfAsync(peer, host.PeerId);
        Assert.Equal("dione-interop/1", seen.GetProperty("agentVersion").GetString());
        Assert.Contains(Echo, Strings(seen.GetProperty("protocols")));
        Assert.Contains(host.ListenAddresses[0].ToString(), Strings(seen.GetProperty("listenAddrs")).Select(StripPeer));
    }

    [Fact]
    public async Task We_echo_on_100_concurrent_streams_and_move_256_MiB_through_a_js_peer()
    {
        await using var peer = JsPeerProcess.StartPeer();
        var ready = await peer.WaitForEventAsync("ready", StartTimeout);
        await using var host = await TestHosts.StartAsync();
        var connection = await host.DialAsync(Multiaddress.Parse(ready.GetProperty("addrs")[0].GetString()!), Timeouts.Token());
        using var cancel = new CancellationTokenSource(ChecksTimeout);

        // A stream the js peer resets says why only on its stderr: the failure carries it.
        await WithJsStderrAsync(peer, () => Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var payload = RandomNumberGenerator.GetBytes(32 * 1024 + i);
            await using var stream = await connection.OpenStreamAsync([Echo], cancel.Token);
            var (sent, received, count) = await TransferPattern.EchoAsync(stream.Stream, () => stream.CloseWriteAsync(cancel.Token), payload.Length, cancel.Token);
            Assert.Equal(sent, received);
            Assert.Equal(payload.Length, count);
        })));

        await using var big = await connection.OpenStreamAsync([Echo], cancel.Token);
        var transfer = await WithJsStderrAsync(peer, () => TransferPattern.EchoAsync(big.Stream, () => big.CloseWriteAsync(cancel.Token), TransferBytes, cancel.Token));
        Assert.Equal(TransferBytes, transfer.ReceivedBytes);
        Assert.Equal(transfer.Sent, transfer.Received);
        Assert.Single(host.Connections);
    }

    [Fact]
    public async Task We_run_perf_against_a_js_peer()
    {
        await using var peer = JsPeerProcess.StartPeer();
        var ready = await peer.WaitForEventAsync("ready", StartTimeout);
        await using var host = await TestHosts.StartAsync();
        var connection = await host.DialAsync(Multiaddress.Parse(ready.GetProperty("addrs")[0].GetString()!), Timeouts.Token());

        var result = await host.Perf.RunAsync(connection.RemotePeer, 16 << 20, 16 << 20, Timeouts.Token());

        Assert.Equal(16UL << 20, result.DownloadBytes);
    }

    [Theory]
    [InlineData("secp256k1")]
    [InlineData("rsa")]
    public async Task Identities_of_other_key_types_are_verified_both_ways(string keyType)
    {
        await using var peer = JsPeerProcess.StartPeer("--key-type", keyType);
        var ready = await peer.WaitForEventAsync("ready", StartTimeout);
        await using var host = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync));

        var connection = await host.DialAsync(Multiaddress.Parse(ready.GetProperty("addrs")[0].GetString()!), Timeouts.Token());
        Assert.Equal(ready.GetProperty("peerId").GetString(), connection.RemotePeer.ToString());
        Assert.Equal(keyType == "rsa" ? KeyType.Rsa : KeyType.Secp256k1, connection.RemoteKey.Type);

        string[] checks = ["connect", "ping"];
        await using var dialer = JsPeerProcess.StartDialer(host.DialAddress().ToString(), checks, "--key-type", keyType);
        var results = await dialer.ReadAllResultsAsync(ChecksTimeout);
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.GetRawText() + "\n" + dialer.Describe()));
        Assert.Equal(2, results.Count);
    }

    private static async Task<JsonElement> WaitForIdentifyOfAsync(JsPeerProcess peer, PeerId peerId)
    {
        while (true)
        {
            var identify = await peer.WaitForEventAsync("identify", StartTimeout);
            if (identify.GetProperty("peerId").GetString() == peerId.ToString())
            {
                return identify;
            }
        }
    }

    private static string StripPeer(string? address) =>
        address is null ? "" : Multiaddress.Parse(address).WithoutPeerId().ToString();

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static async Task WithJsStderrAsync(JsPeerProcess peer, Func<Task> work) =>
        await WithJsStderrAsync(peer, async () =>
        {
            await work();
            return true;
        });

    private static async Task<T> WithJsStderrAsync<T>(JsPeerProcess peer, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (IOException e)
        {
            throw new IOException($"{e.Message}\njs peer's stderr:\n{peer.Stderr}", e);
        }
    }
}
