namespace Dione.Cli.Keys;

/// <summary>
/// The cost of Argon2id (libsodium's <c>crypto_pwhash</c>, version 1.3, one lane) that turns a passphrase into the key
/// of a key file. Written in the file's header and read back from it, so the bounds here are what a file may ask for:
/// a hostile file can make an import wait a few seconds, never allocate more than <see cref="MaxMemoryKiB"/>.
/// </summary>
public readonly record struct KdfParameters(uint Iterations, uint MemoryKiB)
{
    /// <summary>libsodium's least: one pass over 8 KiB (fast, for tests only; a file with them is weak, not unsafe to read).</summary>
    public const uint MinIterations = 1;
    public const uint MinMemoryKiB = 8;

    /// <summary>The most a file may ask for: 10 passes over 256 MiB, a few seconds on a small machine.</summary>
    public const uint MaxIterations = 10;
    public const uint MaxMemoryKiB = 256 * 1024;

    /// <summary>What <c>dione key export</c> writes: 3 passes over 64 MiB (RFC 9106's second recommended setting, with one lane).</summary>
    public static KdfParameters Default { get; } = new(3, 64 * 1024);

    /// <summary>The weakest parameters libsodium accepts: for tests that run the KDF many times.</summary>
    public static KdfParameters Cheapest { get; } = new(MinIterations, MinMemoryKiB);

    public bool IsWithinBounds =>
        Iterations is >= MinIterations and <= MaxIterations && MemoryKiB is >= MinMemoryKiB and <= MaxMemoryKiB;

    public int MemoryBytes => checked((int)(MemoryKiB * 1024));

    public override string ToString() => $"{Iterations} iterations over {MemoryKiB} KiB";
}
