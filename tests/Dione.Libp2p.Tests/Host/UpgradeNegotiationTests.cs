using Dione.Libp2p.Host;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Host;

/// <summary>
/// Which security protocol and muxer two hosts agree on when the builder lists several: the dialer proposes in its
/// order, the listener accepts any it has (answering <c>na</c> to the others), and muxers offered inside Noise skip
/// multistream-select.
/// </summary>
public class UpgradeNegotiationTests
{
    private const string Echo = "/dione/echo/1.0.0";
    private const string Plaintext = PlaintextSecurity.DefaultId;
    private const string OtherMuxer = RenamedMuxer.DefaultId;

    [Fact]
    public async Task The_listener_lacking_the_first_security_choice_answers_na_and_the_second_is_agreed()
    {
        var (outbound, inbound) = await ConnectAsync(
            dialer: b => b.WithSecurity(PlaintextSecurity.Factory(), NoiseSecurityProtocol.Factory),
            listener: b => b.WithSecurity(NoiseSecurityProtocol.Factory));

        Assert.Equal(NoiseSecurity.ProtocolId, outbound.Security);
        Assert.Equal(NoiseSecurity.ProtocolId, inbound.Security);
        Assert.Equal(YamuxProtocol.Id, outbound.Muxer);
    }

    [Fact]
    public async Task The_dialers_first_security_choice_wins_when_the_listener_has_both()
    {
        var (outbound, inbound) = await ConnectAsync(
            dialer: b => b.WithSecurity(PlaintextSecurity.Factory(), NoiseSecurityProtocol.Factory),
            listener: b => b.WithSecurity(NoiseSecurityProtocol.Factory, PlaintextSecurity.Factory()));

        Assert.Equal(Plaintext, outbound.Security);
        Assert.Equal(Plaintext, inbound.Security);
    }

    [Fact]
    public async Task Without_a_muxer_agreed_in_the_handshake_multistream_select_picks_the_dialers_first_muxer_the_listener_has()
    {
        var (outbound, inbound) = await ConnectAsync(
            dialer: b => b.WithSecurity(PlaintextSecurity.Factory()).WithMuxers(new RenamedMuxer(OtherMuxer), new YamuxMuxer()),
            listener: b => b.WithSecurity(PlaintextSecurity.Factory()).WithMuxers(new YamuxMuxer()));

        Assert.Equal(YamuxProtocol.Id, outbound.Muxer);
        Assert.Equal(YamuxProtocol.Id, inbound.Muxer);

        (outbound, inbound) = await ConnectAsync(
            dialer: b => b.WithSecurity(PlaintextSecurity.Factory()).WithMuxers(new RenamedMuxer(OtherMuxer), new YamuxMuxer()),
            listener: b => b.WithSecurity(PlaintextSecurity.Factory()).WithMuxers(new YamuxMuxer(), new RenamedMuxer(OtherMuxer)));

        Assert.Equal(OtherMuxer, outbound.Muxer);
        Assert.Equal(OtherMuxer, inbound.Muxer);
    }

    [Fact]
    public async Task Noise_agrees_on_the_dialers_first_common_muxer_inside_the_handshake()
    {
        var (outbound, inbound) = await ConnectAsync(
            dialer: b => b.WithMuxers(new RenamedMuxer(OtherMuxer), new YamuxMuxer()),
            listener: b => b.WithMuxers(new YamuxMuxer()));

        Assert.Equal(YamuxProtocol.Id, outbound.Muxer);
        Assert.Equal(YamuxProtocol.Id, inbound.Muxer);

        (outbound, inbound) = await ConnectAsync(
            dialer: b => b.WithMuxers(new RenamedMuxer(OtherMuxer), new YamuxMuxer()),
            listener: b => b.WithMuxers(new YamuxMuxer(), new RenamedMuxer(OtherMuxer)));

        Assert.Equal(OtherMuxer, outbound.Muxer);
        Assert.Equal(OtherMuxer, inbound.Muxer);
    }

    [Fact]
    public async Task No_common_security_protocol_fails_the_dial_with_a_clear_error()
    {
        await using var listener = await TestHosts.StartAsync(b => b.WithSecurity(NoiseSecurityProtocol.Factory));

        await using var lazy = await TestHosts.StartAsync(b => b.WithSecurity(PlaintextSecurity.Factory()));
        var error = await Assert.ThrowsAsync<ProtocolNegotiationException>(() => lazy.DialAsync(listener.DialAddress(), Timeouts.Token()));
        Assert.Contains($"does not support '{Plaintext}'", error.Message);

        const string Other = "/dione-test/plaintext/2.0.0";
        await using var choosy = await TestHosts.StartAsync(b => b.WithSecurity(PlaintextSecurity.Factory(), PlaintextSecurity.Factory(Other)));
        error = await Assert.ThrowsAsync<ProtocolNegotiationException>(() => choosy.DialAsync(listener.DialAddress(), Timeouts.Token()));
        Assert.Contains("no common protocol", error.Message);
        Assert.Contains(Plaintext, error.Message);
        Assert.Contains(Other, error.Message);
        Assert.Empty(choosy.Connections);
    }

    [Fact]
    public async Task No_common_muxer_fails_the_dial_with_a_clear_error()
    {
        const string Third = "/dione-test/mux/2.0.0";
        await using var listener = await TestHosts.StartAsync(b => b.WithSecurity(PlaintextSecurity.Factory()));
        await using var dialer = await TestHosts.StartAsync(b => b.WithSecurity(PlaintextSecurity.Factory())
            .WithMuxers(new RenamedMuxer(OtherMuxer), new RenamedMuxer(Third)));

        var error = await Assert.ThrowsAsync<ProtocolNegotiationException>(() => dialer.DialAsync(listener.DialAddress(), Timeouts.Token()));

        Assert.Contains("no common protocol", error.Message);
        Assert.Contains(OtherMuxer, error.Message);
        Assert.Contains(Third, error.Message);
        Assert.Empty(dialer.Connections);
    }

    /// <summary>Connects two hosts built with the given lists, checks that a stream works, and returns both sides' connection.</summary>
    private static async Task<(Connection Outbound, Connection Inbound)> ConnectAsync(Action<Libp2pHostBuilder> dialer, Action<Libp2pHostBuilder> listener)
    {
        await using var listening = await TestHosts.StartAsync(b => listener(b.WithProtocol(Echo, TestHosts.EchoAsync)));
        await using var dialing = await TestHosts.StartAsync(dialer);
        var connected = new TaskCompletionSource<Connection>(TaskCreationOptions.RunContinuationsAsynchronously);
        listening.Connected += (_, c) => connected.TrySetResult(c);

        var outbound = await dialing.DialAsync(listening.DialAddress(), Timeouts.Token());
        await using (var stream = await outbound.OpenStreamAsync([Echo], Timeouts.Token()))
        {
            await stream.Stream.WriteAsync("hello"u8.ToArray(), Timeouts.Token());
            await stream.CloseWriteAsync(Timeouts.Token());
            var echoed = new byte[5];
            await stream.Stream.ReadExactlyAsync(echoed, Timeouts.Token());
            Assert.Equal("hello"u8.ToArray(), echoed);
        }
        var inbound = await connected.Task.WaitAsync(Timeouts.Test);
        Assert.Equal(dialing.PeerId, inbound.RemotePeer);
        return (outbound, inbound);
    }
}
