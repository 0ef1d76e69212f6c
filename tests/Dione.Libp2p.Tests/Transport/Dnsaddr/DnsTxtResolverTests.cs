using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Transport.Dnsaddr;

namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

/// <summary>The DNS client against DNS servers of our own on 127.0.0.1; nothing leaves the machine.</summary>
public class DnsTxtResolverTests
{
    private const string Name = "_dnsaddr.example.com";

    private static DnsTxtResolver Resolver(params LoopbackDnsServer[] servers) =>
        Resolver(new DnsTxtResolverOptions { NameServers = [.. servers.Select(s => s.EndPoint)] });

    private static DnsTxtResolver Resolver(DnsTxtResolverOptions options) => new(options);

    private static DnsTxtResolver Once(LoopbackDnsServer server, int timeoutMs = 1000) =>
        Resolver(new DnsTxtResolverOptions { NameServers = [server.EndPoint], Attempts = 1, Timeout = TimeSpan.FromMilliseconds(timeoutMs) });

    private static byte[] Answer(DnsTestQuery query, params string[] texts) => DnsMessageBuilder.TxtResponse(query.Id, query.Name, texts);

    private static byte[] Failure(DnsTestQuery query, int responseCode) => DnsMessageBuilder.TxtResponse(query.Id, query.Name, [], responseCode);

    [Fact]
    public async Task Answers_a_txt_query_over_udp()
    {
        var longText = "dnsaddr=" + new string('x', 600);
        await using var server = LoopbackDnsServer.WithRecords(new Dictionary<string, string[]> { [Name] = ["dnsaddr=/ip4/1.2.3.4/tcp/1", longText] });

        var texts = await Resolver(server).ResolveTxtAsync("_DNSADDR.Example.com.", CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["dnsaddr=/ip4/1.2.3.4/tcp/1", longText], texts);
        var query = Assert.Single(server.Queries);
        Assert.False(query.OverTcp);
        Assert.Equal(Name, query.Name);
        Assert.Equal(16, query.Type);
        Assert.Equal(0x0100, BinaryPrimitives.ReadUInt16BigEndian(query.Raw.AsSpan(2))); // a query, recursion desired
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(query.Raw.AsSpan(10))); // the OPT record
        Assert.Equal(Convert.FromHexString("00" + "0029" + "04d0" + "00000000" + "0000"), query.Raw[^11..]);
    }

    [Fact]
    public async Task Without_edns_no_opt_record_is_sent()
    {
        await using var server = LoopbackDnsServer.WithRecords(new Dictionary<string, string[]> { [Name] = ["a"] });
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [server.EndPoint], UdpPayloadSize = 512 });

        Assert.Equal(["a"], await resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(Assert.Single(server.Queries).Raw.AsSpan(10)));
    }

    [Fact]
    public async Task Truncated_answer_is_asked_again_over_tcp()
    {
        var records = Enumerable.Range(0, 40).Select(i => $"dnsaddr=/ip4/10.0.0.{i}/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN").ToArray();
        await using var server = LoopbackDnsServer.Start(query => query.OverTcp
            ? [Answer(query, records)]
            : [DnsMessageBuilder.TxtResponse(query.Id, query.Name, [records[0]], truncated: true)]);

        var texts = await Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(records, texts);
        Assert.Equal([false, true], server.Queries.Select(q => q.OverTcp).ToArray());
    }

    [Fact]
    public async Task Tcp_that_closes_early_fails_over_to_the_next_server()
    {
        await using var broken = LoopbackDnsServer.Start(query => query.OverTcp ? [] : [DnsMessageBuilder.TxtResponse(query.Id, query.Name, ["x"], truncated: true)]);
        await using var good = LoopbackDnsServer.Start(query => [Answer(query, "good")]);

        var texts = await Resolver(broken, good).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["good"], texts);
        Assert.Contains(broken.Queries, q => q.OverTcp);
    }

    [Fact]
    public async Task Tcp_answer_for_another_name_yields_no_records()
    {
        await using var server = LoopbackDnsServer.Start(query => query.OverTcp
            ? [DnsMessageBuilder.TxtResponse(query.Id, "other.example", ["forged"])]
            : [DnsMessageBuilder.TxtResponse(query.Id, query.Name, ["x"], truncated: true)]);

        Assert.Empty(await Once(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Name_error_means_no_records()
    {
        await using var server = LoopbackDnsServer.WithRecords(new Dictionary<string, string[]>());

        Assert.Empty(await Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Server_failure_is_asked_again_then_moves_on_to_the_next_server()
    {
        await using var failing = LoopbackDnsServer.Start(query => [Failure(query, 2)]);
        await using var good = LoopbackDnsServer.Start(query => [Answer(query, "good")]);
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [failing.EndPoint, good.EndPoint], Attempts = 2 });

        Assert.Equal(["good"], await resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
        Assert.Equal(2, failing.Queries.Count);
    }

    [Fact]
    public async Task Every_server_is_tried_before_giving_up()
    {
        await using var first = LoopbackDnsServer.Start(query => [Failure(query, 2)]);
        await using var second = LoopbackDnsServer.Start(query => [Failure(query, 5)]);
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [first.EndPoint, second.EndPoint], Attempts = 3 });

        var error = await Assert.ThrowsAsync<DnsResolutionException>(() => resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));

        Assert.Equal(3, first.Queries.Count); // a server failure may pass: asked once per attempt
        Assert.Single(second.Queries);        // a refusal is that server's final word
        Assert.Contains("Refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Datagram_with_a_forged_id_fails_over_to_the_next_server()
    {
        await using var forging = LoopbackDnsServer.Start(query =>
            [DnsMessageBuilder.TxtResponse((ushort)(query.Id ^ 1), query.Name, ["wrong id"]), Answer(query, "right")]);
        await using var good = LoopbackDnsServer.Start(query => [Answer(query, "good")]);

        Assert.Equal(["good"], await Resolver(forging, good).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task A_flood_of_forged_datagrams_ends_the_query_without_waiting_for_the_timeout()
    {
        await using var server = LoopbackDnsServer.Start(query =>
            [.. Enumerable.Range(1, 40).Select(i => DnsMessageBuilder.TxtResponse((ushort)(query.Id ^ i), query.Name, ["forged"]))]);
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [server.EndPoint], Attempts = 1, Timeout = TimeSpan.FromMinutes(5) });

        await Assert.ThrowsAsync<DnsResolutionException>(() => resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Garbage_with_our_id_fails_over_to_the_next_server()
    {
        await using var garbage = LoopbackDnsServer.Start(query => [[(byte)(query.Id >> 8), (byte)query.Id, 0x81, 0x80, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0xc0]]);
        await using var good = LoopbackDnsServer.Start(query => [Answer(query, "good")]);

        Assert.Equal(["good"], await Resolver(garbage, good).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Silent_server_times_out_per_attempt()
    {
        await using var silent = LoopbackDnsServer.Start(_ => []);
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [silent.EndPoint], Timeout = TimeSpan.FromMilliseconds(200), Attempts = 2 });

        var error = await Assert.ThrowsAsync<DnsResolutionException>(() => resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, silent.Queries.Count);
    }

    [Fact]
    public async Task Closed_port_fails_cleanly()
    {
        IPEndPoint closed;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = (IPEndPoint)socket.LocalEndPoint!;
        }
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [closed], Timeout = TimeSpan.FromSeconds(1), Attempts = 1 });

        await Assert.ThrowsAsync<DnsResolutionException>(() => resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Cancellation_is_thrown_as_such()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var silent = LoopbackDnsServer.Start(_ =>
        {
            asked.TrySetResult();
            return [];
        });
        var resolver = Resolver(new DnsTxtResolverOptions { NameServers = [silent.EndPoint], Timeout = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource();

        var resolving = resolver.ResolveTxtAsync(Name, cancel.Token);
        await asked.Task.WaitAsync(Timeouts.Test);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolving.WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Query_ids_are_random()
    {
        await using var server = LoopbackDnsServer.Start(query => [Answer(query, "a")]);
        var resolver = Resolver(server);

        for (var i = 0; i < 8; i++)
        {
            await resolver.ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test);
        }

        Assert.True(server.Queries.Select(q => q.Id).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Invalid_names_are_refused_before_asking()
    {
        await using var server = LoopbackDnsServer.Start(query => [Answer(query, "a")]);

        await Assert.ThrowsAsync<ArgumentException>(() => Resolver(server).ResolveTxtAsync("bad name.example", CancellationToken.None));
        Assert.Empty(server.Queries);
    }

    [Fact]
    public async Task Dnsaddr_resolves_through_a_loopback_dns_server()
    {
        const string Sjc = "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN";
        await using var server = LoopbackDnsServer.WithRecords(new Dictionary<string, string[]>
        {
            ["_dnsaddr.bootstrap.libp2p.io"] =
            [
                "dnsaddr=/dnsaddr/ams-2.bootstrap.libp2p.io/tcp/4001/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb",
                $"dnsaddr=/dnsaddr/sjc-1.bootstrap.libp2p.io/tcp/4001/p2p/{Sjc}",
            ],
            ["_dnsaddr.sjc-1.bootstrap.libp2p.io"] =
            [
                $"dnsaddr=/ip4/147.75.69.143/tcp/4001/p2p/{Sjc}",
                $"dnsaddr=/ip6/2604:1380:1000:6000::1/tcp/4001/p2p/{Sjc}",
            ],
        });
        var resolver = new DnsaddrResolver(Resolver(server));

        var resolved = await resolver.ResolveAsync(Multiaddress.Parse($"/dnsaddr/bootstrap.libp2p.io/p2p/{Sjc}"), CancellationToken.None)
            .WaitAsync(Timeouts.Test);

        Assert.Equal(
            [$"/ip4/147.75.69.143/tcp/4001/p2p/{Sjc}", $"/ip6/2604:1380:1000:6000::1/tcp/4001/p2p/{Sjc}"],
            resolved.Select(a => a.ToString()).ToArray());
        Assert.Equal(2, server.Queries.Count);
    }
}
