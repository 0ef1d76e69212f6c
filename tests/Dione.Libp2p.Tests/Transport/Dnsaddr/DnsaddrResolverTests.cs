using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Transport.Dnsaddr;

namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

public class DnsaddrResolverTests
{
    private const string Sjc = FakeTxtResolver.Sjc;
    private const string Ams = FakeTxtResolver.Ams;
    private const string Nrt = FakeTxtResolver.Nrt;
    private const string Ewr = FakeTxtResolver.Ewr;
    private const string Mars = "QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ";

    private static Multiaddress M(string text) => Multiaddress.Parse(text);

    private static string[] Texts(IEnumerable<Multiaddress> addresses) => [.. addresses.Select(a => a.ToString())];

    [Fact]
    public async Task Spec_example_resolves_to_the_two_addresses_of_the_requested_peer()
    {
        var txt = FakeTxtResolver.SpecExample();
        var resolver = new DnsaddrResolver(txt);

        var resolved = await resolver.ResolveAsync(M($"/dnsaddr/bootstrap.libp2p.io/p2p/{Sjc}"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(
            [$"/ip4/147.75.69.143/tcp/4001/p2p/{Sjc}", $"/ip6/2604:1380:1000:6000::1/tcp/4001/p2p/{Sjc}"],
            Texts(resolved));
        // Entries of other peers are filtered out before any nested lookup.
        Assert.Equal(["_dnsaddr.bootstrap.libp2p.io", "_dnsaddr.sjc-1.bootstrap.libp2p.io"], txt.Queries.ToArray());
    }

    [Fact]
    public async Task Without_a_suffix_every_entry_is_kept_and_nested_ones_are_resolved()
    {
        var resolver = new DnsaddrResolver(FakeTxtResolver.SpecExample());

        var resolved = await resolver.ResolveAsync(M("/dnsaddr/bootstrap.libp2p.io"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(6, resolved.Count);
        Assert.All(resolved, a => Assert.False(DnsaddrResolver.IsDnsaddr(a)));
        Assert.Equal(
            [Ams, Ams, Sjc, Sjc, Nrt, Ewr],
            resolved.Select(a => a.Components[^1].ValueText!).ToArray());
    }

    [Fact]
    public async Task Only_entries_ending_with_the_requested_suffix_are_kept()
    {
        var txt = new FakeTxtResolver().Add("_dnsaddr.example.com",
            $"dnsaddr=/ip4/1.1.1.1/tcp/4001/p2p/{Sjc}",
            $"dnsaddr=/ip4/1.1.1.2/tcp/4001/p2p/{Ams}",     // other peer
            "dnsaddr=/ip4/1.1.1.3/tcp/4001",                  // no peer id
            $"dnsaddr=/p2p/{Sjc}",                            // nothing but the suffix
            $"dnsaddr=/ip4/1.1.1.4/udp/4001/quic-v1/p2p/{Sjc}",
            $"dnsaddr=/ip4/1.1.1.5/tcp/4002/p2p/{Sjc}");
        var resolver = new DnsaddrResolver(txt);

        var byId = await resolver.ResolveAsync(M($"/dnsaddr/example.com/p2p/{Sjc}"), CancellationToken.None).WaitAsync(Timeouts.Test);
        var byPortAndId = await resolver.ResolveAsync(M($"/dnsaddr/example.com/tcp/4001/p2p/{Sjc}"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(
            [$"/ip4/1.1.1.1/tcp/4001/p2p/{Sjc}", $"/ip4/1.1.1.4/udp/4001/quic-v1/p2p/{Sjc}", $"/ip4/1.1.1.5/tcp/4002/p2p/{Sjc}"],
            Texts(byId));
        Assert.Equal([$"/ip4/1.1.1.1/tcp/4001/p2p/{Sjc}"], Texts(byPortAndId));
    }

    [Fact]
    public async Task Nested_entries_keep_the_peer_filter_of_the_outer_address()
    {
        var txt = new FakeTxtResolver()
            .Add("_dnsaddr.outer.example", $"dnsaddr=/dnsaddr/inner.example/p2p/{Sjc}")
            .Add("_dnsaddr.inner.example", $"dnsaddr=/ip4/1.1.1.1/tcp/1/p2p/{Sjc}", $"dnsaddr=/ip4/2.2.2.2/tcp/2/p2p/{Ams}");
        var resolver = new DnsaddrResolver(txt);

        var resolved = await resolver.ResolveAsync(M("/dnsaddr/outer.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal([$"/ip4/1.1.1.1/tcp/1/p2p/{Sjc}"], Texts(resolved));
    }

    [Fact]
    public async Task Loop_between_two_names_ends_and_each_name_is_looked_up_once()
    {
        var txt = new FakeTxtResolver()
            .Add("_dnsaddr.a.example", $"dnsaddr=/dnsaddr/b.example/p2p/{Sjc}", $"dnsaddr=/ip4/1.1.1.1/tcp/1/p2p/{Sjc}")
            .Add("_dnsaddr.b.example", $"dnsaddr=/dnsaddr/a.example/p2p/{Sjc}", $"dnsaddr=/ip4/2.2.2.2/tcp/2/p2p/{Sjc}");
        var resolver = new DnsaddrResolver(txt);

        var resolved = await resolver.ResolveAsync(M($"/dnsaddr/a.example/p2p/{Sjc}"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal([$"/ip4/2.2.2.2/tcp/2/p2p/{Sjc}", $"/ip4/1.1.1.1/tcp/1/p2p/{Sjc}"], Texts(resolved));
        Assert.Equal(["_dnsaddr.a.example", "_dnsaddr.b.example"], txt.Queries.ToArray());
    }

    [Fact]
    public async Task Self_loop_ends()
    {
        var txt = new FakeTxtResolver().Add("_dnsaddr.self.example", "dnsaddr=/dnsaddr/self.example/tcp/1", "dnsaddr=/ip4/1.1.1.1/tcp/1");
        var resolved = await new DnsaddrResolver(txt).ResolveAsync(M("/dnsaddr/self.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/1.1.1.1/tcp/1"], Texts(resolved));
        Assert.Single(txt.Queries);
    }

    [Fact]
    public async Task Chain_is_followed_for_four_lookups_and_no_further()
    {
        var txt = new FakeTxtResolver();
        for (var level = 1; level <= 6; level++)
        {
            txt.Add($"_dnsaddr.d{level}.example", $"dnsaddr=/dnsaddr/d{level + 1}.example", $"dnsaddr=/ip4/10.0.0.{level}/tcp/1");
        }

        var resolved = await new DnsaddrResolver(txt).ResolveAsync(M("/dnsaddr/d1.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/10.0.0.4/tcp/1", "/ip4/10.0.0.3/tcp/1", "/ip4/10.0.0.2/tcp/1", "/ip4/10.0.0.1/tcp/1"], Texts(resolved));
        Assert.Equal(4, txt.Queries.Count);
        Assert.DoesNotContain("_dnsaddr.d5.example", txt.Queries);
    }

    [Fact]
    public async Task Malformed_and_foreign_entries_are_skipped()
    {
        var txt = new FakeTxtResolver().Add("_dnsaddr.example.com",
            "v=spf1 -all",
            "dnsaddr=",
            "dnsaddr=garbage",
            "dnsaddr=/ip4/999.1.1.1/tcp/1",
            "dnsaddr=/ip4/1.2.3.4/tcp/99999",
            "dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/notapeerid",
            "dnsaddr=/nosuchprotocol/1",
            "DNSADDR=/ip4/1.2.3.4/tcp/1",
            " dnsaddr=/ip4/1.2.3.4/tcp/1",
            "dnsaddr=/ip4/1.2.3.4/tcp/1 ",
            "dnsaddr=" + new string('/', 5000),
            "dnsaddr=/ip4/5.6.7.8/tcp/1",
            "dnsaddr=/dnsaddr/bad name.example",
            "dnsaddr=/dns4/host.example/tcp/2");
        txt.Fail("_dnsaddr.bad name.example", new ArgumentException("invalid DNS name"));

        var resolved = await new DnsaddrResolver(txt).ResolveAsync(M("/dnsaddr/example.com"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/5.6.7.8/tcp/1", "/dns4/host.example/tcp/2"], Texts(resolved));
    }

    [Fact]
    public async Task Failed_lookup_loses_only_its_branch()
    {
        var txt = new FakeTxtResolver()
            .Add("_dnsaddr.root.example", "dnsaddr=/dnsaddr/down.example", "dnsaddr=/dnsaddr/up.example")
            .Fail("_dnsaddr.down.example", new DnsResolutionException("SERVFAIL"))
            .Add("_dnsaddr.up.example", "dnsaddr=/ip4/1.1.1.1/tcp/1");

        var resolved = await new DnsaddrResolver(txt).ResolveAsync(M("/dnsaddr/root.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/1.1.1.1/tcp/1"], Texts(resolved));
    }

    [Fact]
    public async Task Results_are_capped_at_one_hundred_and_deduplicated()
    {
        var records = Enumerable.Range(0, 500).Select(i => $"dnsaddr=/ip4/10.{i / 256}.{i % 256}.1/tcp/1").ToList();
        records.Insert(1, records[0]);
        var txt = new FakeTxtResolver().Add("_dnsaddr.many.example", [.. records]);

        var resolved = await new DnsaddrResolver(txt).ResolveAsync(M("/dnsaddr/many.example"), CancellationToken.None).WaitAsync(Timeouts.Test);
        var fewer = await new DnsaddrResolver(txt, new DnsaddrResolverOptions { MaxResults = 5 })
            .ResolveAsync(M("/dnsaddr/many.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(100, resolved.Count);
        Assert.Equal(100, resolved.Distinct().Count());
        Assert.Equal("/ip4/10.0.1.1/tcp/1", resolved[1].ToString());
        Assert.Equal(5, fewer.Count);
    }

    [Fact]
    public async Task Distinct_names_looked_up_per_call_are_capped()
    {
        var txt = new FakeTxtResolver().Add("_dnsaddr.fan.example",
            [.. Enumerable.Range(0, 200).Select(i => $"dnsaddr=/dnsaddr/n{i}.example")]);
        for (var i = 0; i < 200; i++)
        {
            txt.Add($"_dnsaddr.n{i}.example", "dnsaddr=/dnsaddr/leaf.example/tcp/" + (i + 1));
        }

        var resolved = await new DnsaddrResolver(txt, new DnsaddrResolverOptions { MaxLookups = 10 })
            .ResolveAsync(M("/dnsaddr/fan.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Empty(resolved);
        Assert.Equal(10, txt.Queries.Count);
    }

    [Fact]
    public async Task Deadline_returns_what_was_found_so_far()
    {
        var txt = new FakeTxtResolver()
            .Add("_dnsaddr.root.example", "dnsaddr=/ip4/1.1.1.1/tcp/1", "dnsaddr=/dnsaddr/slow.example", "dnsaddr=/ip4/2.2.2.2/tcp/2")
            .Hang("_dnsaddr.slow.example");
        var resolver = new DnsaddrResolver(txt, new DnsaddrResolverOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        var resolved = await resolver.ResolveAsync(M("/dnsaddr/root.example"), CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/1.1.1.1/tcp/1"], Texts(resolved));
    }

    [Fact]
    public async Task Caller_cancellation_is_thrown()
    {
        var txt = new FakeTxtResolver().Hang("_dnsaddr.slow.example");
        using var cancel = new CancellationTokenSource();
        var resolving = new DnsaddrResolver(txt).ResolveAsync(M("/dnsaddr/slow.example"), cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolving.WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Other_addresses_pass_through()
    {
        var txt = new FakeTxtResolver();
        var address = M($"/ip4/1.2.3.4/tcp/4001/p2p/{Sjc}");

        var resolved = await new DnsaddrResolver(txt).ResolveAsync(address, CancellationToken.None);

        Assert.Same(address, Assert.Single(resolved));
        Assert.Empty(txt.Queries);
    }

    [Fact]
    public async Task Resolve_all_expands_each_dnsaddr_in_order_and_passes_the_rest_through()
    {
        var txt = FakeTxtResolver.SpecExample();
        var other = M($"/ip4/104.131.131.82/tcp/4001/p2p/{Mars}");

        var resolved = await new DnsaddrResolver(txt).ResolveAllAsync(
            [M($"/dnsaddr/bootstrap.libp2p.io/p2p/{Nrt}"), other, M($"/dnsaddr/bootstrap.libp2p.io/p2p/{Sjc}")], CancellationToken.None)
            .WaitAsync(Timeouts.Test);

        Assert.Equal(
            [$"/ip4/147.75.94.115/tcp/4001/p2p/{Nrt}", other.ToString(), $"/ip4/147.75.69.143/tcp/4001/p2p/{Sjc}", $"/ip6/2604:1380:1000:6000::1/tcp/4001/p2p/{Sjc}"],
            Texts(resolved));
        // One lookup budget for the call: bootstrap.libp2p.io is looked up once.
        Assert.Single(txt.Queries, q => q == "_dnsaddr.bootstrap.libp2p.io");
    }

    [Fact]
    public async Task Resolve_all_keeps_passing_addresses_through_after_the_deadline()
    {
        var txt = new FakeTxtResolver().Hang("_dnsaddr.slow.example");
        var resolver = new DnsaddrResolver(txt, new DnsaddrResolverOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        var resolved = await resolver.ResolveAllAsync(
            [M($"/dnsaddr/slow.example/p2p/{Sjc}"), M($"/dnsaddr/slow2.example/p2p/{Ams}"), M($"/ip4/1.2.3.4/tcp/1/p2p/{Mars}")],
            CancellationToken.None).WaitAsync(Timeouts.Test);

        Assert.Equal([$"/ip4/1.2.3.4/tcp/1/p2p/{Mars}"], Texts(resolved));
        Assert.DoesNotContain("_dnsaddr.slow2.example", txt.Queries);
    }
}
