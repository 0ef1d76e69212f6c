using Dione.Kademlia.Bootstrap;

namespace Dione.Kademlia.Tests.Bootstrap;

/// <summary>Queries and responses written out byte by byte from RFC 1035 section 4.1 (and RFC 6891 section 6.1.2 for OPT).</summary>
public class DnsWireVectorTests
{
    // _dnsaddr.example.com as labels: 8 "_dnsaddr" 7 "example" 3 "com" 0
    private const string DnsaddrExampleCom = "085f646e7361646472" + "076578616d706c65" + "03636f6d" + "00";

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void Query_is_a_recursive_txt_question()
    {
        var name = DnsName.Encode("_dnsaddr.example.com");

        Assert.Equal(Hex(DnsaddrExampleCom), name);
        Assert.Equal(
            Hex("beef 0100 0001 0000 0000 0000" + DnsaddrExampleCom + "0010 0001"),
            DnsQuery.Build(0xbeef, name, DnsRecordType.Txt, udpPayloadSize: 0));
        Assert.Equal(
            Hex("beef 0100 0001 0000 0000 0001" + DnsaddrExampleCom + "0010 0001" + "00 0029 04d0 00000000 0000"),
            DnsQuery.Build(0xbeef, name, DnsRecordType.Txt, udpPayloadSize: 1232));
    }

    [Fact]
    public void Txt_answer_with_a_compressed_owner()
    {
        var message = Hex(
            "1234 8180 0001 0001 0000 0000" + DnsaddrExampleCom + "0010 0001"
            + "c00c 0010 0001 00000e10 001b" + "1a" + Convert.ToHexString("dnsaddr=/ip4/1.2.3.4/tcp/1"u8));

        var response = DnsResponseParser.Parse(message);

        Assert.Equal(0x1234, response.Id);
        Assert.Equal(0, response.ResponseCode);
        Assert.False(response.IsTruncated);
        Assert.Equal(new DnsQuestion("_dnsaddr.example.com", 16, 1), Assert.Single(response.Questions));
        var answer = Assert.Single(response.Answers);
        Assert.Equal(new DnsRecord("_dnsaddr.example.com", 16, 1, 3600, "dnsaddr=/ip4/1.2.3.4/tcp/1", null), answer);
        Assert.Equal(["dnsaddr=/ip4/1.2.3.4/tcp/1"], DnsTxtResolver.ExtractText(response, "_dnsaddr.example.com"));
    }

    [Fact]
    public void Character_strings_of_one_record_are_joined()
    {
        var message = Hex(
            "0001 8180 0001 0001 0000 0000" + DnsaddrExampleCom + "0010 0001"
            + "c00c 0010 0001 0000012c 001c"
            + "0d" + Convert.ToHexString("dnsaddr=/ip4/"u8) + "0d" + Convert.ToHexString("1.2.3.4/tcp/1"u8));

        var answer = Assert.Single(DnsResponseParser.Parse(message).Answers);

        Assert.Equal("dnsaddr=/ip4/1.2.3.4/tcp/1", answer.Text);
    }

    [Fact]
    public void Txt_of_a_cname_target_is_followed_and_unrelated_owners_are_ignored()
    {
        // Question _dnsaddr.a.test at 12: "_dnsaddr" 12..20, "a" 21..22, "test" 23..27, root 28.
        // CNAME at 33, its rdata "b" + pointer to "test" at 45; TXT owned by that name (pointer to 45);
        // a TXT owned by "other.test" that must not be returned.
        var message = Hex(
            "0002 8180 0001 0003 0000 0000" + "085f646e7361646472 0161 0474657374 00" + "0010 0001"
            + "c00c 0005 0001 0000003c 0004" + "0162 c017"
            + "c02d 0010 0001 0000003c 0006" + "05" + Convert.ToHexString("hello"u8)
            + "056f74686572c017 0010 0001 0000003c 0006" + "05" + Convert.ToHexString("wrong"u8));

        var response = DnsResponseParser.Parse(message);

        Assert.Equal("b.test", response.Answers[0].Target);
        Assert.Equal("b.test", response.Answers[1].Name);
        Assert.Equal("other.test", response.Answers[2].Name);
        Assert.Equal(["hello"], DnsTxtResolver.ExtractText(response, "_dnsaddr.a.test"));
    }

    [Fact]
    public void Truncation_and_response_codes_are_read_from_the_flags()
    {
        var truncated = DnsResponseParser.Parse(Hex("0003 8380 0001 0000 0000 0000" + DnsaddrExampleCom + "0010 0001"));
        var nameError = DnsResponseParser.Parse(Hex("0004 8183 0001 0000 0000 0000" + DnsaddrExampleCom + "0010 0001"));

        Assert.True(truncated.IsTruncated);
        Assert.Equal(DnsResponse.NameError, nameError.ResponseCode);
        Assert.Empty(nameError.Answers);
    }

    [Fact]
    public void Authority_and_additional_sections_are_walked_and_trailing_bytes_ignored()
    {
        var message = Hex(
            "0005 8180 0001 0001 0001 0001" + DnsaddrExampleCom + "0010 0001"
            + "c00c 0010 0001 0000003c 0003 02 6869"
            + "c015 0002 0001 0000003c 0004 0161 c015" // NS for example.com
            + "00 0029 04d0 00000000 0000"              // OPT
            + "ffff");

        var response = DnsResponseParser.Parse(message);

        Assert.Equal("hi", Assert.Single(response.Answers).Text);
    }

    [Fact]
    public void Names_with_unusual_bytes_are_escaped_and_lowercased()
    {
        var message = Hex("0006 8180 0001 0000 0000 0000" + "03 41 2e 20 00" + "0010 0001");

        Assert.Equal(@"a\046\032", Assert.Single(DnsResponseParser.Parse(message).Questions).Name);
    }
}
