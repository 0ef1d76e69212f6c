using System.Security.Cryptography;
using Dione.Messaging.Crypto;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Tests.X3dh;

public class X25519PublicKeyValidatorTests
{
    /// <summary>The canonical u of every point of order 1, 2, 4 or 8 on Curve25519 and its twist.</summary>
    public static readonly string[] LowOrderPoints =
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    ];

    [Fact]
    public void Every_listed_low_order_point_is_refused_and_really_gives_an_all_zero_secret()
    {
        foreach (var hex in LowOrderPoints)
        {
            var point = Convert.FromHexString(hex);
            Assert.Equal(X25519KeyProblem.LowOrder, X25519PublicKeyValidator.Check(point));
            // Independent check of the list: the agreement itself finds an all-zero output for any private key.
            Assert.Throws<CryptographicException>(() => X25519KeyPair.Generate().Agree(point));
        }
    }

    [Theory]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p + 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // 2^255 - 1
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080")] // base point with the top bit set
    public void NonCanonicalEncodingsAreRefused(string hex)
    {
        Assert.Equal(X25519KeyProblem.NotCanonical, X25519PublicKeyValidator.Check(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Wrong_lengths_are_refused(int length)
    {
        Assert.Equal(X25519KeyProblem.WrongLength, X25519PublicKeyValidator.Check(new byte[length]));
    }

    [Fact]
    public void Generated_keys_and_the_base_point_are_accepted()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.True(X25519PublicKeyValidator.IsValid(X25519KeyPair.Generate().PublicKey));
        }
        Assert.True(X25519PublicKeyValidator.IsValid(Convert.FromHexString("0900000000000000000000000000000000000000000000000000000000000000")));
    }
}
