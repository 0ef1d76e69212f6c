using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;
using GeraltEd25519 = Geralt.Ed25519;
using GeraltX25519 = Geralt.X25519;
using NSecKey = NSec.Cryptography.Key;
using NSecKeyAgreement = NSec.Cryptography.KeyAgreementAlgorithm;
using NSecKeyBlobFormat = NSec.Cryptography.KeyBlobFormat;
using NSecPublicKey = NSec.Cryptography.PublicKey;
using NSecSharedSecretBlobFormat = NSec.Cryptography.SharedSecretBlobFormat;
using NSecSharedSecretCreationParameters = NSec.Cryptography.SharedSecretCreationParameters;
using NSecSignature = NSec.Cryptography.SignatureAlgorithm;

namespace Dione.Benchmarks.Curves;

/// <summary>
/// The curve libraries side by side (issue 9): BouncyCastle.Cryptography 2.x (the baseline), NSec and Geralt (both
/// libsodium, Geralt being what Dione.Primitives uses), each doing the X25519 and Ed25519 operations Dione uses, on the
/// same inputs. (Portable.BouncyCastle 1.8, which Dione used before, was in this table until Dione dropped it.)
/// Every method writes into preallocated buffers where the library allows it, so the table compares the curve work.
/// Keys come in as raw bytes in Dione (wire, storage), so NSec's figures include importing the remote public key.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CurveLibraryBenchmark
{
    private const string X25519KeyGeneration = "X25519 keygen";
    private const string X25519Agreement = "X25519 agree";
    private const string Ed25519KeyGeneration = "Ed25519 keygen";
    private const string Ed25519Signing = "Ed25519 sign 64 B";
    private const string Ed25519Verification = "Ed25519 verify 64 B";
    private const string EdToXPublic = "Ed25519->X25519 public";
    private const string EdToXPrivate = "Ed25519->X25519 private";

    private readonly byte[] _message = RandomNumberGenerator.GetBytes(64);
    private readonly byte[] _x25519Private = new byte[32];
    private readonly byte[] _x25519RemotePublic = new byte[32];
    private readonly byte[] _edSeed = new byte[32];
    private readonly byte[] _edPublic = new byte[32];
    private readonly byte[] _edGeraltPrivate = new byte[64];
    private readonly byte[] _signature = new byte[64];
    private readonly byte[] _output32 = new byte[32];
    private readonly byte[] _output64 = new byte[64];
    private NSecKey _nsecX25519 = null!;
    private NSecKey _nsecEd25519 = null!;
    private NSecPublicKey _nsecEdPublic = null!;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_x25519Private);
        var remotePrivate = RandomNumberGenerator.GetBytes(32);
        BcX25519.ScalarMultBase(remotePrivate, 0, _x25519RemotePublic, 0);
        RandomNumberGenerator.Fill(_edSeed);
        BcEd25519.GeneratePublicKey(_edSeed, 0, _edPublic, 0);
        GeraltEd25519.GenerateKeyPair(new byte[32], _edGeraltPrivate, _edSeed);
        BcEd25519.Sign(_edSeed, 0, _message, 0, _message.Length, _signature, 0);
        _nsecX25519 = NSecKey.Import(NSecKeyAgreement.X25519, _x25519Private, NSecKeyBlobFormat.RawPrivateKey);
        _nsecEd25519 = NSecKey.Import(NSecSignature.Ed25519, _edSeed, NSecKeyBlobFormat.RawPrivateKey);
        _nsecEdPublic = NSecPublicKey.Import(NSecSignature.Ed25519, _edPublic, NSecKeyBlobFormat.RawPublicKey);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nsecX25519.Dispose();
        _nsecEd25519.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(X25519KeyGeneration)]
    public byte[] X25519KeygenBc2()
    {
        RandomNumberGenerator.Fill(_output32);
        BcX25519.ScalarMultBase(_output32, _output64);
        return _output64;
    }

    [Benchmark, BenchmarkCategory(X25519KeyGeneration)]
    public int X25519KeygenNSec()
    {
        using var key = NSecKey.Create(NSecKeyAgreement.X25519);
        return key.PublicKey.Size;
    }

    [Benchmark, BenchmarkCategory(X25519KeyGeneration)]
    public byte[] X25519KeygenGeralt()
    {
        GeraltX25519.GenerateKeyPair(_output32, _output64.AsSpan(0, 32));
        return _output32;
    }

    [Benchmark(Baseline = true), BenchmarkCategory(X25519Agreement)]
    public bool X25519AgreeBc2() => BcX25519.CalculateAgreement(_x25519Private, _x25519RemotePublic, _output32);

    [Benchmark, BenchmarkCategory(X25519Agreement)]
    public bool X25519AgreeNSec()
    {
        var remote = NSecPublicKey.Import(NSecKeyAgreement.X25519, _x25519RemotePublic, NSecKeyBlobFormat.RawPublicKey);
        var exportable = new NSecSharedSecretCreationParameters { ExportPolicy = NSec.Cryptography.KeyExportPolicies.AllowPlaintextExport };
        using var secret = NSecKeyAgreement.X25519.Agree(_nsecX25519, remote, exportable)!;
        return secret.TryExport(NSecSharedSecretBlobFormat.RawSharedSecret, _output32, out _);
    }

    [Benchmark, BenchmarkCategory(X25519Agreement)]
    public byte[] X25519AgreeGeralt()
    {
        GeraltX25519.ComputeSharedSecret(_output32, _x25519Private, _x25519RemotePublic);
        return _output32;
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Ed25519KeyGeneration)]
    public byte[] Ed25519KeygenBc2()
    {
        RandomNumberGenerator.Fill(_output32);
        BcEd25519.GeneratePublicKey(_output32, _output64.AsSpan(0, 32));
        return _output64;
    }

    [Benchmark, BenchmarkCategory(Ed25519KeyGeneration)]
    public int Ed25519KeygenNSec()
    {
        using var key = NSecKey.Create(NSecSignature.Ed25519);
        return key.PublicKey.Size;
    }

    [Benchmark, BenchmarkCategory(Ed25519KeyGeneration)]
    public byte[] Ed25519KeygenGeralt()
    {
        GeraltEd25519.GenerateKeyPair(_output32, _output64);
        return _output32;
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Ed25519Signing)]
    public byte[] Ed25519SignBc2()
    {
        BcEd25519.Sign(_edSeed, _message, _output64);
        return _output64;
    }

    [Benchmark, BenchmarkCategory(Ed25519Signing)]
    public byte[] Ed25519SignNSec()
    {
        NSecSignature.Ed25519.Sign(_nsecEd25519, _message, _output64);
        return _output64;
    }

    [Benchmark, BenchmarkCategory(Ed25519Signing)]
    public byte[] Ed25519SignGeralt()
    {
        GeraltEd25519.Sign(_output64, _message, _edGeraltPrivate);
        return _output64;
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Ed25519Verification)]
    public bool Ed25519VerifyBc2() => BcEd25519.Verify(_signature, _edPublic, _message);

    [Benchmark, BenchmarkCategory(Ed25519Verification)]
    public bool Ed25519VerifyNSec()
    {
        var publicKey = NSecPublicKey.Import(NSecSignature.Ed25519, _edPublic, NSecKeyBlobFormat.RawPublicKey);
        return NSecSignature.Ed25519.Verify(publicKey, _message, _signature);
    }

    [Benchmark, BenchmarkCategory(Ed25519Verification)]
    public bool Ed25519VerifyNSecImported() => NSecSignature.Ed25519.Verify(_nsecEdPublic, _message, _signature);

    [Benchmark, BenchmarkCategory(Ed25519Verification)]
    public bool Ed25519VerifyGeralt() => GeraltEd25519.Verify(_signature, _message, _edPublic);

    /// <summary>What Dione.Primitives does: its own y &lt; p check, then Geralt.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(EdToXPublic)]
    public byte[] EdToXPublicDione() => Dione.Primitives.Crypto.Ed25519.PublicKeyToX25519(_edPublic);

    [Benchmark, BenchmarkCategory(EdToXPublic)]
    public byte[] EdToXPublicGeralt()
    {
        GeraltEd25519.ComputeX25519PublicKey(_output32, _edPublic);
        return _output32;
    }

    /// <summary>What Dione.Primitives does: the first half of SHA-512(seed), left unclamped (no library call).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(EdToXPrivate)]
    public byte[] EdToXPrivateSha512()
    {
        SHA512.HashData(_edSeed, _output64);
        return _output64;
    }

    [Benchmark, BenchmarkCategory(EdToXPrivate)]
    public byte[] EdToXPrivateGeralt()
    {
        GeraltEd25519.ComputeX25519PrivateKey(_output32, _edGeraltPrivate);
        return _output32;
    }
}
