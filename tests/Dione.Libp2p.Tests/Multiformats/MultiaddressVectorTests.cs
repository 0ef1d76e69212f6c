using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>Text ↔ binary vectors from go-multiaddr multiaddr_test.go, js-multiaddr and hand-encoded protocols.csv rows.</summary>
public class MultiaddressVectorTests
{
    private const string Ed25519PeerId = "12D3KooWBdmLJjhpgJ9KZgLM3f894ff9xyBfPvPjFNn7MKJpyrC2";
    private const string Ed25519PeerIdHex = "0024080112201b002d73dc3db78649e1e3717f3dd66edd066afe2c1f861d4b1a638a155a1333";
    private const string Sha256PeerId = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
    private const string Sha256PeerIdHex = "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";

    public static TheoryData<string, string> Vectors => new()
    {
        // go-multiaddr TestStringToBytes / TestBytesToString / TestBinaryRepresentation
        { "/ip4/127.0.0.1/udp/1234", "047f000001910204d2" },
        { "/ip4/127.0.0.1/tcp/4321", "047f0000010610e1" },
        { "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321", "047f000001910204d2047f0000010610e1" },
        // go-multiaddr TestZone
        { "/ip6zone/eth0/ip6/::1", "2a04657468302900000000000000000000000000000001" },
        // hand-encoded from protocols.csv
        { "/ip4/127.0.0.1/tcp/4001", "047f000001060fa1" },
        { "/ip6/::1/tcp/4001", "2900000000000000000000000000000001060fa1" },
        { "/ip6/2001:db8::1/udp/443/quic-v1", "2920010db8000000000000000000000001910201bbcd03" },
        { "/dns4/example.com/tcp/443/wss", "360b6578616d706c652e636f6d0601bbde03" },
        { "/dns/example.com/tcp/443/tls/sni/example.com/ws", "350b6578616d706c652e636f6d0601bbc003c1030b6578616d706c652e636f6ddd03" },
        { "/dns6/example.com/udp/53", "370b6578616d706c652e636f6d91020035" },
        { "/dnsaddr/bootstrap.libp2p.io", "3813626f6f7473747261702e6c69627032702e696f" },
        { "/ip4/1.2.3.4/udp/4001/quic-v1/p2p/" + Ed25519PeerId, "040102030491020fa1cd03a50326" + Ed25519PeerIdHex },
        { "/ip4/1.2.3.4/tcp/4001/p2p/" + Sha256PeerId + "/p2p-circuit/p2p/" + Ed25519PeerId,
            "0401020304060fa1a50322" + Sha256PeerIdHex + "a202" + "a50326" + Ed25519PeerIdHex },
        { "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
            "047f000001910204d2cd03d103d20322" + "1220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2" },
        { "/ip4/127.0.0.1/tcp/4001/noise", "047f000001060fa1c603" },
        { "/ip4/127.0.0.1/udp/9090/webrtc-direct", "047f0000019102238298" + "02" },
        { "/ip4/192.0.2.0/ipcidr/24", "04c00002002b18" },
        { "/ip4/127.0.0.1/tcp/80/http", "047f000001060050e003" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Text_encodes_to_the_expected_bytes(string text, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(Multiaddress.Parse(text).ToBytes()));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Bytes_decode_to_the_expected_text(string text, string hex)
    {
        Assert.Equal(text, Multiaddress.FromBytes(Convert.FromHexString(hex)).ToString());
    }

    [Fact]
    public void Go_dns_test_bytes_round_trip()
    {
        // go-multiaddr TestDNS: '7' = dns6, '*' = length 42.
        var bytes = "7*000000000000000000000000000000000000000000"u8.ToArray();

        var address = Multiaddress.FromBytes(bytes);

        Assert.Equal("/dns6/" + new string('0', 42), address.ToString());
        Assert.Equal(address, Multiaddress.Parse(address.ToString()));
        Assert.Equal(bytes, address.ToBytes());
    }

    [Theory]
    [InlineData("/ip6/0001:08a0:00c5:4201:3ac9:86ff:fe31:0709", "/ip6/1:8a0:c5:4201:3ac9:86ff:fe31:709")]
    [InlineData("/ip6/0000:0000:0000:0000:0000:0000:0000:0001", "/ip6/::1")]
    [InlineData("/ip6/::00:0:000:0:001", "/ip6/::1")]
    [InlineData("/ip6/::101.45.75.219/tcp/9090", "/ip6/::652d:4bdb/tcp/9090")]
    [InlineData("/ip6/::1.45.5.219/tcp/9090", "/ip6/::12d:5db/tcp/9090")]
    [InlineData("/ip6/0:00:0000:0002:0000:059c:0a24:0801/tcp/64142", "/ip6/::2:0:59c:a24:801/tcp/64142")]
    [InlineData("/ip6/1:0:0:2:0:0:0:3", "/ip6/1:0:0:2::3")]
    [InlineData("/ip6/1:0:0:2:0:0:3:4", "/ip6/1::2:0:0:3:4")]
    [InlineData("/ip6/1:0:2:3:4:5:6:7", "/ip6/1:0:2:3:4:5:6:7")]
    [InlineData("/ip6/2001:DB8::A", "/ip6/2001:db8::a")]
    [InlineData("/ip6/::", "/ip6/::")]
    [InlineData("/ip6/::FFFF:7F00:1/tcp/1", "/ip6/::ffff:127.0.0.1/tcp/1")]
    [InlineData("/ipfs/" + Sha256PeerId, "/p2p/" + Sha256PeerId)]
    [InlineData("/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm", "/p2p/" + Sha256PeerId)]
    [InlineData("/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7/tcp/1234", "/p2p/" + Sha256PeerId + "/tcp/1234")]
    [InlineData("/p2p/k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs", "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV")]
    [InlineData("/ip4/127.0.0.1/tcp/1234/", "/ip4/127.0.0.1/tcp/1234")]
    [InlineData("/ip4/127.0.0.1/tcp/01234", "/ip4/127.0.0.1/tcp/1234")]
    public void Text_is_normalised(string input, string expected)
    {
        var address = Multiaddress.Parse(input);

        Assert.Equal(expected, address.ToString());
        Assert.Equal(address, Multiaddress.Parse(expected));
    }

    [Fact]
    public void Certhash_in_any_multibase_is_written_as_base64url()
    {
        // go-multiaddr's good list: a base32 certhash (an md5 multihash) next to a base58btc one.
        var address = Multiaddress.Parse(
            "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41");
        var hashes = address.Components.Where(c => c.Protocol == MultiaddrProtocols.CertHash).ToArray();

        Assert.Equal("d50110", Convert.ToHexStringLower(hashes[0].Value[..3]));
        Assert.Equal("1220", Convert.ToHexStringLower(hashes[1].Value[..2]));
        Assert.All(hashes, h => Assert.StartsWith("u", h.ValueText, StringComparison.Ordinal));
        Assert.Equal(address, Multiaddress.Parse(address.ToString()));
    }

    [Theory]
    [InlineData("/ip4/1.2.3.4")]
    [InlineData("/ip4/0.0.0.0")]
    [InlineData("/ip4/255.255.255.255/udp/65535")]
    [InlineData("/ip6/::1")]
    [InlineData("/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21")]
    [InlineData("/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic")]
    [InlineData("/ip6/2001:db8::/ipcidr/32")]
    [InlineData("/ip6zone/x/ip6/fe80::1")]
    [InlineData("/ip6zone/x%y/ip6/fe80::1")]
    [InlineData("/ip6zone/x/ip6/fe80::1/udp/1234/quic-v1")]
    [InlineData("/ip6/::ffff:127.0.0.1/tcp/111")]
    [InlineData("/udp/0")]
    [InlineData("/tcp/65535")]
    [InlineData("/sctp/1234")]
    [InlineData("/dccp/1234")]
    [InlineData("/udp/1234/sctp/1234")]
    [InlineData("/udp/1234/udt")]
    [InlineData("/udp/1234/utp")]
    [InlineData("/tcp/1234/http")]
    [InlineData("/tcp/1234/tls/http")]
    [InlineData("/tcp/1234/https")]
    [InlineData("/p2p/" + Sha256PeerId)]
    [InlineData("/p2p/" + Sha256PeerId + "/tcp/1234")]
    [InlineData("/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV")]
    [InlineData("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport")]
    [InlineData("/ip4/1.2.3.4/udp/4001/quic-v1/webtransport/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ/certhash/uEiAfbgiymPP2_nX7Dgir8B4QkksjHp2lVuJZz0F79Be9JA/p2p/" + Ed25519PeerId)]
    [InlineData("/ip4/127.0.0.1/tcp/127/ws")]
    [InlineData("/ip4/127.0.0.1/tcp/127/tls/ws")]
    [InlineData("/ip4/127.0.0.1/tcp/127/noise")]
    [InlineData("/ip4/127.0.0.1/tcp/127/wss")]
    [InlineData("/ip4/127.0.0.1/tcp/127/webrtc-direct")]
    [InlineData("/ip4/127.0.0.1/tcp/127/webrtc")]
    [InlineData("/ip4/127.0.0.1/tcp/9090/tls/sni/example.com/ws")]
    [InlineData("/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/ws/p2p/" + Sha256PeerId)]
    [InlineData("/p2p-circuit/p2p/" + Sha256PeerId)]
    [InlineData("/p2p/" + Sha256PeerId + "/p2p-circuit")]
    [InlineData("/dns/例え.テスト/tcp/80")]
    public void Valid_text_round_trips_exactly_through_binary(string text)
    {
        var address = Multiaddress.Parse(text);
        var decoded = Multiaddress.FromBytes(address.ToBytes());

        Assert.Equal(text, address.ToString());
        Assert.Equal(address, decoded);
        Assert.Equal(text, decoded.ToString());
        Assert.Equal(address.GetHashCode(), decoded.GetHashCode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("ip4/1.2.3.4")]
    [InlineData("//ip4/1.2.3.4")]
    [InlineData("/ip4")]
    [InlineData("/ip4/")]
    [InlineData("/ip4/::1")]
    [InlineData("/ip4/fdpsofodsajfdoisa")]
    [InlineData("/ip4/256.0.0.1")]
    [InlineData("/ip4/1.2.3")]
    [InlineData("/ip4/1.2.3.4.5")]
    [InlineData("/ip4/01.2.3.4")]
    [InlineData("/ip4/0x7f.0.0.1")]
    [InlineData("/ip4/1.2.3.-4")]
    [InlineData("/ip4/1.2.3.4 ")]
    [InlineData("/ip4/１.2.3.4")]
    [InlineData("/ip6")]
    [InlineData("/ip6/::1%eth0")]
    [InlineData("/ip6/[::1]")]
    [InlineData("/ip6/1::2::3")]
    [InlineData("/ip6/12345::")]
    [InlineData("/ip6/1:2:3:4:5:6:7:8:9")]
    [InlineData("/ip6/1.2.3.4")]
    [InlineData("/ip6zone")]
    [InlineData("/ip6zone/")]
    [InlineData("/ip6zone//ip6/fe80::1")]
    [InlineData("/ip4/::/ipcidr/256")]
    [InlineData("/udp")]
    [InlineData("/tcp")]
    [InlineData("/sctp")]
    [InlineData("/udp/65536")]
    [InlineData("/tcp/65536")]
    [InlineData("/tcp/-1")]
    [InlineData("/tcp/+1")]
    [InlineData("/tcp/1e3")]
    [InlineData("/tcp/１２")]
    [InlineData("/quic/65536")]
    [InlineData("/quic-v1/65536")]
    [InlineData("/udp/1234/udt/1234")]
    [InlineData("/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa")]
    [InlineData("/ip4/127.0.0.1/udp")]
    [InlineData("/ip4/127.0.0.1/tcp/jfodsajfidosajfoidsa")]
    [InlineData("/ip4/127.0.0.1/tcp")]
    [InlineData("/ip4/127.0.0.1/quic/1234")]
    [InlineData("/ip4/127.0.0.1/quic-v1/1234")]
    [InlineData("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash")]
    [InlineData("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp")]
    [InlineData("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8")]
    [InlineData("/certhash/notmultibase")]
    [InlineData("/ip4/127.0.0.1/ipfs")]
    [InlineData("/ip4/127.0.0.1/ipfs/tcp")]
    [InlineData("/ip4/127.0.0.1/p2p")]
    [InlineData("/ip4/127.0.0.1/p2p/tcp")]
    [InlineData("/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY")]
    [InlineData("/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-")]
    [InlineData("/p2p/?unknownmultibase")]
    [InlineData("/p2p/k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z")]
    [InlineData("/unknown/1")]
    [InlineData("/unix/a/b")]
    [InlineData("/ip4/1.2.3.4/tcp/80/garbage")]
    [InlineData("/ip4/1.2.3.4/tcp/80/ws/x")]
    [InlineData("/ip4/1.2.3.4//tcp/80")]
    [InlineData("/IP4/1.2.3.4")]
    [InlineData("/dns4")]
    [InlineData("/dns4/")]
    [InlineData("/dns4//tcp/1")]
    [InlineData("/sni")]
    [InlineData("/tls/tcp")]
    [InlineData("/p2p-circuit/1")]
    public void Invalid_text_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => Multiaddress.Parse(text));
        Assert.False(Multiaddress.TryParse(text, out var address));
        Assert.Null(address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("04")]
    [InlineData("047f0000")]
    [InlineData("047f00000106")]
    [InlineData("047f0000010610")]
    [InlineData("80")]
    [InlineData("ff")]
    [InlineData("ffffffffffffffffff01")]
    [InlineData("8000")]
    [InlineData("ff7f")]
    [InlineData("a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6")]
    [InlineData("a50300")]
    [InlineData("a503")]
    [InlineData("a50322" + "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c")]
    [InlineData("a50314" + "1214d52ebb89d85b02a284948203a62ff28389c57c")]
    [InlineData("a50306" + "0004" + "08011200")]
    [InlineData("3600")]
    [InlineData("36012f")]
    [InlineData("3602c328")]
    [InlineData("3605")]
    [InlineData("3681ffffffff0f61")]
    [InlineData("2a00")]
    [InlineData("d20300")]
    [InlineData("d203021201")]
    [InlineData("d203031201aabb")]
    [InlineData("29000000000000000000000000000000")]
    [InlineData("2b")]
    public void Invalid_bytes_are_a_format_error(string hex) =>
        Assert.Throws<FormatException>(() => Multiaddress.FromBytes(Convert.FromHexString(hex)));

    [Fact]
    public void Names_that_are_not_valid_unicode_are_refused()
    {
        // Built in code: theory data would turn lone surrogates into U+FFFD on the way to the test.
        string[] texts = ["/dns4/" + '\uD800' + "/tcp/1", "/sni/a" + '\uDC00' + "b", "/ip6zone/" + '\uD83D' + "/ip6/fe80::1"];

        Assert.All(texts, text => Assert.Throws<FormatException>(() => Multiaddress.Parse(text)));
        Assert.Equal("/dns4/\U0001F680/tcp/1", Multiaddress.Parse("/dns4/\U0001F680/tcp/1").ToString());
    }

    [Fact]
    public void Over_long_input_is_refused()
    {
        var text = string.Concat(Enumerable.Repeat("/tcp/1", 200));
        var bytes = Enumerable.Repeat(Convert.FromHexString("060001"), 400).SelectMany(b => b).ToArray();

        Assert.Throws<FormatException>(() => Multiaddress.Parse(text));
        Assert.Throws<FormatException>(() => Multiaddress.FromBytes(bytes));
    }
}
