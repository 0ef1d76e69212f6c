using System.Buffers.Binary;
using System.Text;
using Dione.Cli.Keys;
using Dione.Libp2p.Identity;
using Dione.Messaging.Identity;

namespace Dione.Cli.Tests;

/// <summary>The key file format (docs/protocol.md, "Key export file"): what seals opens, and nothing else does.</summary>
public sealed class KeyFileTests
{
    private static readonly byte[] Passphrase = Encoding.UTF8.GetBytes("correct horse battery staple");

    [Fact]
    public void A_sealed_file_opens_with_its_passphrase_to_the_same_two_identities()
    {
        var keys = new RepoKeys(PrivateKey.Generate(KeyType.Ed25519), DioneIdentity.Generate());

        var file = KeyFile.Seal(keys.ToProtobuf(), Passphrase, KdfParameters.Cheapest);
        var opened = RepoKeys.FromProtobuf(KeyFile.Open(file, Passphrase));

        Assert.Equal(keys.Node.ToProtobuf(), opened.Node.ToProtobuf());
        Assert.Equal(keys.Dione.ExportSeed(), opened.Dione.ExportSeed());
        Assert.Equal(keys.DioneAddress, opened.DioneAddress);
        Assert.Equal("DIONEKEY"u8.ToArray(), file[..8]);
        Assert.Equal(KeyFileHeader.CurrentVersion, file[8]);
    }

    [Fact]
    public void The_file_carries_the_KDF_cost_it_was_sealed_with_and_a_fresh_salt_and_nonce_each_time()
    {
        var identities = NewIdentities();

        var first = KeyFileHeader.Parse(KeyFile.Seal(identities, Passphrase, KdfParameters.Cheapest));
        var second = KeyFileHeader.Parse(KeyFile.Seal(identities, Passphrase, new KdfParameters(2, 16)));

        Assert.Equal(KdfParameters.Cheapest, first.Kdf);
        Assert.Equal(new KdfParameters(2, 16), second.Kdf);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.Nonce, second.Nonce);
    }

    [Fact]
    public void The_whole_header_is_the_associated_data_of_the_encryption()
    {
        var file = KeyFile.Seal(NewIdentities(), Passphrase, KdfParameters.Cheapest);
        var header = KeyFileHeader.Parse(file);
        var key = new byte[32];
        Geralt.Argon2id.DeriveKey(key, Passphrase, header.Salt, (int)header.Kdf.Iterations, header.Kdf.MemoryBytes);
        var ciphertext = file[KeyFileHeader.Length..];
        var plaintext = new byte[ciphertext.Length - 16];
        var otherHeader = file[..KeyFileHeader.Length];
        otherHeader[^1] ^= 1;

        Geralt.XChaCha20Poly1305.Decrypt(plaintext, ciphertext, header.Nonce, key, file[..KeyFileHeader.Length]);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(
            () => Geralt.XChaCha20Poly1305.Decrypt(plaintext, ciphertext, header.Nonce, key, otherHeader));
    }

    [Fact]
    public void A_wrong_passphrase_gets_the_one_message_for_a_wrong_passphrase_or_a_damaged_file()
    {
        var file = KeyFile.Seal(NewIdentities(), Passphrase, KdfParameters.Cheapest);

        var refused = Assert.Throws<KeyFileException>(() => KeyFile.Open(file, "correct horse battery stapler"u8));

        Assert.Equal(KeyFileException.WrongPassphraseOrDamaged, refused.Message);
    }

    [Fact]
    public void Every_changed_byte_and_every_truncation_is_refused()
    {
        var file = KeyFile.Seal(NewIdentities(), Passphrase, KdfParameters.Cheapest);

        for (var i = 0; i < file.Length; i++)
        {
            var changed = file.ToArray();
            changed[i] ^= 0x01;
            Assert.Throws<KeyFileException>(() => KeyFile.Open(changed, Passphrase));
        }
        for (var length = 0; length < file.Length; length++)
        {
            Assert.Throws<KeyFileException>(() => KeyFile.Open(file.AsSpan(0, length), Passphrase));
        }
        // The ciphertext and tag, and the KDF fields and salt and nonce of the header, all give the one message.
        for (var i = 10; i < file.Length; i++)
        {
            var changed = file.ToArray();
            changed[i] ^= 0x80;
            var refused = Assert.Throws<KeyFileException>(() => KeyFile.Open(changed, Passphrase));
            Assert.True(refused.Message == KeyFileException.WrongPassphraseOrDamaged || refused.Message.Contains("KDF cost", StringComparison.Ordinal), refused.Message);
        }
    }

    [Theory]
    [InlineData(3u, 64u * 1024 * 1024)] // 64 GiB
    [InlineData(3u, uint.MaxValue)]
    [InlineData(3u, KdfParameters.MaxMemoryKiB + 1)]
    [InlineData(3u, KdfParameters.MinMemoryKiB - 1)]
    [InlineData(0u, 64u * 1024)]
    [InlineData(KdfParameters.MaxIterations + 1, 64u * 1024)]
    [InlineData(uint.MaxValue, 64u * 1024)]
    public void KDF_parameters_out_of_bounds_are_refused_before_the_KDF_runs(uint iterations, uint memoryKiB)
    {
        var file = KeyFile.Seal(NewIdentities(), Passphrase, KdfParameters.Cheapest);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(10), iterations);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(14), memoryKiB);

        var refused = Assert.Throws<KeyFileException>(() => KeyFile.Open(file, Passphrase));

        Assert.Contains("outside the bounds this dione accepts", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => KeyFile.Seal(NewIdentities(), Passphrase, new KdfParameters(iterations, memoryKiB)));
    }

    [Fact]
    public void The_largest_accepted_KDF_cost_is_within_bounds_and_the_default_is_memory_hard()
    {
        Assert.True(new KdfParameters(KdfParameters.MaxIterations, KdfParameters.MaxMemoryKiB).IsWithinBounds);
        Assert.True(KdfParameters.Default.IsWithinBounds);
        Assert.True(KdfParameters.Default.MemoryKiB >= 64 * 1024);
    }

    [Fact]
    public void A_file_too_large_another_format_a_newer_version_or_an_unknown_KDF_is_refused_by_name()
    {
        var file = KeyFile.Seal(NewIdentities(), Passphrase, KdfParameters.Cheapest);
        var newer = file.ToArray();
        newer[8] = 2;
        var otherKdf = file.ToArray();
        otherKdf[9] = 2;

        Assert.Contains("larger than", Assert.Throws<KeyFileException>(() => KeyFile.Open([.. file, .. new byte[KeyFile.MaxLength]], Passphrase)).Message, StringComparison.Ordinal);
        Assert.Contains("not a dione key file", Assert.Throws<KeyFileException>(() => KeyFile.Open("-----BEGIN PRIVATE KEY-----"u8, Passphrase)).Message, StringComparison.Ordinal);
        Assert.Contains("version 2", Assert.Throws<KeyFileException>(() => KeyFile.Open(newer, Passphrase)).Message, StringComparison.Ordinal);
        Assert.Contains("KDF 2", Assert.Throws<KeyFileException>(() => KeyFile.Open(otherKdf, Passphrase)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_authentic_file_without_valid_identities_is_refused_and_an_empty_passphrase_never_seals()
    {
        var noSeed = new Protos.RepoIdentities { NodePrivateKey = Google.Protobuf.ByteString.CopyFrom(PrivateKey.Generate(KeyType.Ed25519).ToProtobuf()) };
        var noNode = new Protos.RepoIdentities { DioneIdentitySeed = Google.Protobuf.ByteString.CopyFrom(new byte[32]) };

        Assert.Contains("no valid Dione identity", Assert.Throws<KeyFileException>(() => RepoKeys.FromProtobuf(noSeed)).Message, StringComparison.Ordinal);
        Assert.Contains("no valid node identity", Assert.Throws<KeyFileException>(() => RepoKeys.FromProtobuf(noNode)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => KeyFile.Seal(NewIdentities(), [], KdfParameters.Cheapest));
    }

    private static Protos.RepoIdentities NewIdentities() =>
        new RepoKeys(PrivateKey.Generate(KeyType.Ed25519), DioneIdentity.Generate()).ToProtobuf();
}
