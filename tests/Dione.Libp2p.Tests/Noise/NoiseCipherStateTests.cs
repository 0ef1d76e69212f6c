using System.Security.Cryptography;
using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseCipherStateTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Nonce_is_32_zero_bits_then_the_counter_little_endian()
    {
        using var cipher = new NoiseCipherState(Key) { Nonce = 0x0102030405060708 };
        var plaintext = "hello noise"u8.ToArray();
        var ciphertext = new byte[plaintext.Length + 16];
        cipher.Encrypt("ad"u8, plaintext, ciphertext);

        var nonce = Convert.FromHexString("000000000807060504030201");
        using var reference = new ChaCha20Poly1305(Key);
        var expected = new byte[plaintext.Length];
        var tag = new byte[16];
        reference.Encrypt(nonce, plaintext, expected, tag, "ad"u8);
        Assert.Equal([.. expected, .. tag], ciphertext);
        Assert.Equal(0x0102030405060709UL, cipher.Nonce);
    }

    [Fact]
    public void Decrypt_round_trips_and_advances_only_on_success()
    {
        using var sender = new NoiseCipherState(Key);
        using var receiver = new NoiseCipherState(Key);
        var ciphertext = new byte[5 + 16];
        sender.Encrypt([], "abcde"u8, ciphertext);
        var tampered = (byte[])ciphertext.Clone();
        tampered[2] ^= 1;
        var plaintext = new byte[5];
        Assert.ThrowsAny<CryptographicException>(() => receiver.Decrypt([], tampered, plaintext));
        Assert.Equal(0UL, receiver.Nonce);
        receiver.Decrypt([], ciphertext, plaintext);
        Assert.Equal("abcde"u8.ToArray(), plaintext);
        Assert.Equal(1UL, receiver.Nonce);
    }

    [Fact]
    public void Refuses_the_reserved_last_nonce()
    {
        using var cipher = new NoiseCipherState(Key) { Nonce = ulong.MaxValue - 1 };
        var output = new byte[16];
        cipher.Encrypt([], [], output);
        Assert.Equal(ulong.MaxValue, cipher.Nonce);
        Assert.ThrowsAny<CryptographicException>(() => cipher.Encrypt([], [], output));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt([], output, []));
        Assert.Equal(ulong.MaxValue, cipher.Nonce);
    }

    [Fact]
    public void Ciphertext_shorter_than_the_tag_is_refused()
    {
        using var cipher = new NoiseCipherState(Key);
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt([], new byte[15], []));
    }

    [Fact]
    public void In_place_encryption_and_decryption_work()
    {
        using var sender = new NoiseCipherState(Key);
        using var receiver = new NoiseCipherState(Key);
        var buffer = new byte[100 + 16];
        new Random(1).NextBytes(buffer.AsSpan(0, 100));
        var original = buffer[..100];
        sender.Encrypt([], buffer.AsSpan(0, 100), buffer);
        receiver.Decrypt([], buffer, buffer.AsSpan(0, 100));
        Assert.Equal(original, buffer[..100]);
    }
}
