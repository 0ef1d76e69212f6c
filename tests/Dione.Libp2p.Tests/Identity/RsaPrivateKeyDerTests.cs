using System.Security.Cryptography;
using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Tests.Identity;

/// <summary>PKCS #1 private keys: byte-identical with the platform encoder, and inconsistent keys refused.</summary>
public class RsaPrivateKeyDerTests
{
    private static readonly RSAParameters Parameters = CreateParameters();

    private static RSAParameters CreateParameters()
    {
        var key = PrivateKey.FromProtobuf(Convert.FromHexString(GoCryptoFixtures.RsaPrivate));
        using var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(key.ToProtobuf().AsSpan(5), out _);
        return rsa.ExportParameters(includePrivateParameters: true);
    }

    [Fact]
    public void Managed_encoding_matches_the_platform_encoding()
    {
        using var rsa = RSA.Create(Parameters);

        Assert.Equal(rsa.ExportRSAPrivateKey(), RsaPrivateKeyDer.Encode(Parameters));
    }

    [Theory]
    [InlineData(nameof(RSAParameters.D))]
    [InlineData(nameof(RSAParameters.P))]
    [InlineData(nameof(RSAParameters.DP))]
    [InlineData(nameof(RSAParameters.DQ))]
    [InlineData(nameof(RSAParameters.InverseQ))]
    [InlineData(nameof(RSAParameters.Exponent))]
    public void Key_with_a_tampered_component_is_refused(string component)
    {
        var tampered = Parameters;
        byte[] Flip(byte[]? value)
        {
            var copy = (byte[])value!.Clone();
            copy[^1] ^= 0x02;
            return copy;
        }
        switch (component)
        {
            case nameof(RSAParameters.D): tampered.D = Flip(tampered.D); break;
            case nameof(RSAParameters.P): tampered.P = Flip(tampered.P); break;
            case nameof(RSAParameters.DP): tampered.DP = Flip(tampered.DP); break;
            case nameof(RSAParameters.DQ): tampered.DQ = Flip(tampered.DQ); break;
            case nameof(RSAParameters.InverseQ): tampered.InverseQ = Flip(tampered.InverseQ); break;
            default: tampered.Exponent = Flip(tampered.Exponent); break;
        }

        Assert.Throws<FormatException>(() => RsaPrivateKey.FromData(RsaPrivateKeyDer.Encode(tampered)));
    }

    [Fact]
    public void Trailing_bytes_and_other_versions_are_refused()
    {
        var encoded = RsaPrivateKeyDer.Encode(Parameters);
        var otherVersion = (byte[])encoded.Clone();
        otherVersion[6] = 1; // 30 82 LL LL 02 01 [version]

        Assert.Throws<FormatException>(() => RsaPrivateKey.FromData([.. encoded, 0]));
        Assert.Throws<FormatException>(() => RsaPrivateKey.FromData(otherVersion));
        Assert.Throws<FormatException>(() => RsaPrivateKey.FromData(encoded.AsSpan(0, encoded.Length - 1)));
    }
}
