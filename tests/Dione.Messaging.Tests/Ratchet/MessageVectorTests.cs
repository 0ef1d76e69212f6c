using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Ratchet;

public class MessageVectorTests
{
    [Fact]
    public void Header_and_body_encryption_match_the_committed_vector()
    {
        var v = VectorFile.Load("ratchet-message.json");
        var header = new RatchetHeader
        {
            Dh = ByteString.CopyFrom(v.Bytes("sender_ratchet_public")),
            Pn = v.GetProperty("pn").GetUInt32(),
            N = v.GetProperty("n").GetUInt32(),
            BodyLength = (uint)v.Bytes("plaintext").Length,
        };
        var address = v.Bytes("address");
        var encryptedHeader = HeaderCipher.Encrypt(v.Bytes("header_key"), address, header);
        Assert.Equal(v.Hex("encrypted_header"), Convert.ToHexStringLower(encryptedHeader));
        Assert.Equal(header, HeaderCipher.TryDecrypt(v.Bytes("header_key"), address, encryptedHeader));

        var keys = RatchetKdf.ExpandMessageKey(v.Bytes("message_key"));
        var ad = v.Bytes("associated_data").Concat(encryptedHeader).ToArray();
        var body = BodyCipher.Encrypt(keys, PaddingBuckets.Pad(v.Bytes("plaintext")), ad);
        Assert.Equal(v.Hex("body"), Convert.ToHexStringLower(body));
        Assert.Equal(v.Hex("deletion_hash"), Convert.ToHexStringLower(Addressing.DeletionTokens.Hash(keys.DeletionToken)));
    }

    [Fact]
    public void A_header_does_not_open_under_another_key_or_another_address()
    {
        var v = VectorFile.Load("ratchet-message.json");
        var encrypted = v.Bytes("encrypted_header");
        var address = v.Bytes("address");
        Assert.NotNull(HeaderCipher.TryDecrypt(v.Bytes("header_key"), address, encrypted));
        Assert.Null(HeaderCipher.TryDecrypt(v.Bytes("message_key"), address, encrypted));
        address[0] ^= 1;
        Assert.Null(HeaderCipher.TryDecrypt(v.Bytes("header_key"), address, encrypted));
        Assert.Null(HeaderCipher.TryDecrypt(v.Bytes("header_key"), v.Bytes("address"), encrypted[..^1]));
    }

    [Fact]
    public void Every_header_has_the_same_encrypted_length()
    {
        var key = new byte[32];
        var address = new byte[32];
        foreach (var (pn, n) in new[] { (0u, 0u), (1u, 127u), (128u, 16384u), (uint.MaxValue, uint.MaxValue) })
        {
            var header = new RatchetHeader { Dh = ByteString.CopyFrom(new byte[32]), Pn = pn, N = n, BodyLength = 65536 };
            Assert.Equal(HeaderCipher.EncryptedLength, HeaderCipher.Encrypt(key, address, header).Length);
        }
    }
}
