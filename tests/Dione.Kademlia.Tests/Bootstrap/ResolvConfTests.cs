using System.Net;
using Dione.Kademlia.Bootstrap;

namespace Dione.Kademlia.Tests.Bootstrap;

public class ResolvConfTests
{
    [Fact]
    public void Reads_the_first_three_nameserver_lines()
    {
        var text = """
            # generated
            search example.com
            nameserver 10.0.0.1
            nameserver	fd00::53   # comment
            ; nameserver 10.0.0.9
            nameserver not-an-address
            nameserver
            options ndots:1
            nameserver 10.0.0.3
            nameserver 10.0.0.4
            """;

        var servers = ResolvConf.ParseNameServers(text.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(
            [new IPEndPoint(IPAddress.Parse("10.0.0.1"), 53), new IPEndPoint(IPAddress.Parse("fd00::53"), 53), new IPEndPoint(IPAddress.Parse("10.0.0.3"), 53)],
            servers);
    }

    [Fact]
    public void Missing_or_empty_file_falls_back_to_the_local_resolver()
    {
        var directory = Directory.CreateTempSubdirectory("dione-resolvconf-");
        try
        {
            var empty = Path.Combine(directory.FullName, "resolv.conf");
            File.WriteAllText(empty, "search example.com\n");

            Assert.Equal(ResolvConf.Fallback, ResolvConf.ReadNameServers(Path.Combine(directory.FullName, "missing")));
            Assert.Equal(ResolvConf.Fallback, ResolvConf.ReadNameServers(empty));
            Assert.Equal(ResolvConf.Fallback, ResolvConf.ReadNameServers(directory.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Only_the_start_of_a_huge_file_is_read()
    {
        var directory = Directory.CreateTempSubdirectory("dione-resolvconf-");
        try
        {
            var path = Path.Combine(directory.FullName, "resolv.conf");
            File.WriteAllText(path, "nameserver 10.0.0.1\n" + new string('#', 200_000) + "\nnameserver 10.0.0.2\n");

            Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.1"), 53)], ResolvConf.ReadNameServers(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Resolver_takes_its_servers_from_the_configured_file()
    {
        var directory = Directory.CreateTempSubdirectory("dione-resolvconf-");
        try
        {
            var path = Path.Combine(directory.FullName, "resolv.conf");
            File.WriteAllText(path, "nameserver 127.0.0.1\n");

            var resolver = new DnsTxtResolver(new DnsTxtResolverOptions { ResolvConfPath = path });

            Assert.Equal([new IPEndPoint(IPAddress.Loopback, 53)], resolver.NameServers);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
