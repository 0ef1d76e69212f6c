using Dione.Messaging.Crypto;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Tests.Kat;

/// <summary>RFC 7748 X25519 test vectors, run through <see cref="X25519KeyPair"/>.</summary>
public class Rfc7748Tests
{
    [Theory] // §5.2; the second u has its top bit set, which X25519 ignores
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493", "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void ScalarMultiplicationVectors(string scalar, string u, string expected)
    {
        var result = X25519KeyPair.FromPrivateKey(Convert.FromHexString(scalar)).Agree(Convert.FromHexString(u));
        Assert.Equal(expected, Convert.ToHexStringLower(result));
    }

    [Fact]
    public void Iterated_vectors_after_one_and_a_thousand_iterations()
    {
        var k = new byte[32];
        k[0] = 9;
        var u = (byte[])k.Clone();
        for (var i = 1; i <= 1000; i++)
        {
            var result = X25519KeyPair.FromPrivateKey(k).Agree(u);
            u = k;
            k = result;
            if (i == 1)
            {
                Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Convert.ToHexStringLower(k));
            }
        }
        Assert.Equal("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Convert.ToHexStringLower(k));
    }

    [Fact]
    public void DiffieHellmanVectorOfSection6_1()
    {
        var alice = X25519KeyPair.FromPrivateKey(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var bob = X25519KeyPair.FromPrivateKey(Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alice.PublicKey));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bob.PublicKey));
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Assert.Equal(shared, Convert.ToHexStringLower(alice.Agree(bob.PublicKey)));
        Assert.Equal(shared, Convert.ToHexStringLower(bob.Agree(alice.PublicKey)));
    }
}
