using System.Buffers.Binary;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Transport.Dnsaddr;

namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

/// <summary>
/// Malformed, truncated and hostile answers from a DNS server of our own on 127.0.0.1: each ends the lookup with a
/// <see cref="DnsResolutionException"/> (or, where the garbage is only in records we do not read, no records), quickly.
/// </summary>
public class DnsHostileAnswerTests
{
    private const string Name = "_dnsaddr.example.com";
    private const string Question = "085f646e7361646472076578616d706c6503636f6d00" + "00100001";

    private static DnsTxtResolver Resolver(LoopbackDnsServer server) =>
        new(new DnsTxtResolverOptions { NameServers = [server.EndPoint], Attempts = 1, Timeout = TimeSpan.FromSeconds(2) });

    /// <summary>The message with the query's id written over its first two bytes, so that only its content is wrong.</summary>
    private static byte[] WithId(DnsTestQuery query, string hex)
    {
        var message = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        if (message.Length >= 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(message, query.Id);
        }
        return message;
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "empty", "" },
        { "short header", "1234 8180 0001 0000 00" },
        { "question count lies", "1234 8180 0002 0000 0000 0000" + Question },
        { "answer count lies", "1234 8180 0001 0001 0000 0000" + Question },
        { "counts at the maximum", "1234 8180 ffff ffff ffff ffff" + Question },
        { "question cut inside its name", "1234 8180 0001 0000 0000 0000 085f646e73" },
        { "question cut before its class", "1234 8180 0001 0000 0000 0000 0161 00 0010" },
        { "pointer to itself", "1234 8180 0001 0001 0000 0000" + Question + "c026 0010 0001 00000000 0002 0141" },
        { "pointer past the end", "1234 8180 0001 0001 0000 0000" + Question + "ffff 0010 0001 00000000 0002 0141" },
        { "mutual pointers", "1234 8180 0001 0001 0000 0000" + Question + "c028 c026 0010 0001 00000000 0002 0141" },
        { "label runs past the end", "1234 8180 0001 0001 0000 0000" + Question + "0a 6162636465" },
        { "name without its root byte", "1234 8180 0001 0001 0000 0000" + Question + "0161 0162 0163" },
        { "record cut in its fixed part", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 0000" },
        { "rdata length past the end", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 00000000 00ff 0568656c6c6f" },
        { "TXT string longer than its rdata", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0010 0001 00000000 0003 0568 65 0000000000" },
        { "CNAME rdata cut inside the name", "1234 8180 0001 0001 0000 0000" + Question + "c00c 0005 0001 00000000 0002 0362 636400" },
        { "server failure", "1234 8182 0001 0000 0000 0000" + Question },
        { "refused", "1234 8185 0001 0000 0000 0000" + Question },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Ends_the_lookup_cleanly(string why, string hex)
    {
        await using var server = LoopbackDnsServer.Start(query => [WithId(query, hex)]);

        var outcome = await Record.ExceptionAsync(() => Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));

        Assert.True(outcome is DnsResolutionException, $"{why}: {outcome?.GetType().Name ?? "no error"} {outcome?.Message}");
    }

    [Fact]
    public async Task Garbage_in_the_owner_of_a_record_yields_no_records_or_a_clean_error()
    {
        // Label type 01 (0x41) as the first byte of the answer's owner name. DnsClient's reading of it differs between
        // runs (seen both: the answer skipped, and an ArgumentException that we wrap in DnsResolutionException); both
        // are clean for us. What must never happen is a record coming back or another exception getting out.
        await using var server = LoopbackDnsServer.Start(query =>
            [WithId(query, "1234 8180 0001 0001 0000 0000" + Question + "4161 00 0010 0001 00000000 0002 0141")]);

        IReadOnlyList<string>? records = null;
        var outcome = await Record.ExceptionAsync(async () =>
            records = await Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));

        Assert.True(outcome is DnsResolutionException || (outcome is null && records is { Count: 0 }),
            $"{outcome?.GetType().Name ?? "no error"} {outcome?.Message} {records?.Count} records");
    }

    [Fact]
    public async Task Records_owned_by_another_name_are_not_returned()
    {
        await using var server = LoopbackDnsServer.Start(query =>
        [
            WithId(query, "1234 8180 0001 0002 0000 0000" + Question
                + "056f74686572c015 0010 0001 0000003c 0006 05" + Convert.ToHexString("wrong"u8)
                + "c00c 0010 0001 0000003c 0006 05" + Convert.ToHexString("right"u8)),
        ]);

        Assert.Equal(["right"], await Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Txt_of_a_cname_target_is_followed_and_a_cname_loop_ends()
    {
        // The question's name is an alias of b.example.com (a CNAME), which is an alias of the question's name again.
        await using var server = LoopbackDnsServer.Start(query =>
        [
            WithId(query, "1234 8180 0001 0003 0000 0000" + Question
                + "c00c 0005 0001 0000003c 0004 0162 c015"
                + "c032 0005 0001 0000003c 0002 c00c"
                + "c032 0010 0001 0000003c 0006 05" + Convert.ToHexString("hello"u8)),
        ]);

        Assert.Equal(["hello"], await Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test));
    }

    [Fact]
    public async Task Garbage_txt_entries_are_skipped_by_the_dnsaddr_resolver()
    {
        await using var server = LoopbackDnsServer.WithRecords(new Dictionary<string, string[]>
        {
            [Name] = ["v=spf1 -all", "dnsaddr=garbage", "dnsaddr=\u0001\u00ff", "dnsaddr=" + new string('/', 2000), "dnsaddr=/ip4/1.2.3.4/tcp/1"],
        });

        var resolved = await new DnsaddrResolver(Resolver(server)).ResolveAsync(Multiaddress.Parse("/dnsaddr/example.com"), CancellationToken.None)
            .WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/1.2.3.4/tcp/1"], resolved.Select(a => a.ToString()));
    }

    [Fact]
    public async Task A_dnsaddr_loop_through_the_server_ends()
    {
        await using var server = LoopbackDnsServer.WithRecords(new Dictionary<string, string[]>
        {
            ["_dnsaddr.a.example"] = ["dnsaddr=/dnsaddr/b.example", "dnsaddr=/ip4/1.1.1.1/tcp/1"],
            ["_dnsaddr.b.example"] = ["dnsaddr=/dnsaddr/a.example", "dnsaddr=/ip4/2.2.2.2/tcp/2"],
        });

        var resolved = await new DnsaddrResolver(Resolver(server)).ResolveAsync(Multiaddress.Parse("/dnsaddr/a.example"), CancellationToken.None)
            .WaitAsync(Timeouts.Test);

        Assert.Equal(["/ip4/2.2.2.2/tcp/2", "/ip4/1.1.1.1/tcp/1"], resolved.Select(a => a.ToString()));
        Assert.Equal(2, server.Queries.Count(q => !q.OverTcp));
    }

    [Fact]
    public async Task A_huge_answer_over_tcp_is_read_and_capped_at_one_hundred_addresses()
    {
        // About 60 KiB of records: far past a datagram, close to the 64 KiB a TCP answer can hold.
        var records = Enumerable.Range(0, 1400).Select(i => $"dnsaddr=/ip4/10.{i / 256}.{i % 256}.1/tcp/4001").ToArray();
        await using var server = LoopbackDnsServer.Start(query => query.OverTcp
            ? [DnsMessageBuilder.TxtResponse(query.Id, query.Name, records)]
            : [DnsMessageBuilder.TxtResponse(query.Id, query.Name, [records[0]], truncated: true)]);

        var texts = await Resolver(server).ResolveTxtAsync(Name, CancellationToken.None).WaitAsync(Timeouts.Test);
        var resolved = await new DnsaddrResolver(Resolver(server)).ResolveAsync(Multiaddress.Parse("/dnsaddr/example.com"), CancellationToken.None)
            .WaitAsync(Timeouts.Test);

        Assert.Equal(records, texts);
        Assert.Equal(100, resolved.Count);
    }
}
