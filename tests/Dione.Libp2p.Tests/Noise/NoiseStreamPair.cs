using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>Matching cipher states with fixed keys, for NoiseStream tests that need no handshake.</summary>
internal static class NoiseStreamPair
{
    public static readonly byte[] KeyA = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] KeyB = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    /// <summary>A stream that encrypts with key A and decrypts with key B.</summary>
    public static NoiseStream Sender(Stream transport) => new(transport, new NoiseCipherState(KeyA), new NoiseCipherState(KeyB));

    /// <summary>A stream that decrypts with key A (what <see cref="Sender"/> writes) and encrypts with key B.</summary>
    public static NoiseStream Receiver(Stream transport) => new(transport, new NoiseCipherState(KeyB), new NoiseCipherState(KeyA));

    /// <summary>The wire bytes of <paramref name="writes"/> written through a fresh sender.</summary>
    public static byte[] Encrypt(params byte[][] writes)
    {
        var wire = new MemoryStream();
        using var sender = new NoiseStream(wire, new NoiseCipherState(KeyA), new NoiseCipherState(KeyB));
        foreach (var write in writes)
        {
            sender.Write(write);
        }
        return wire.ToArray();
    }
}
