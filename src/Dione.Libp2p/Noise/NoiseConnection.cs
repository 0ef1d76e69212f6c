using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Noise;

/// <summary>The result of a successful Noise handshake: the encrypted stream and the authenticated remote peer.</summary>
public sealed class NoiseConnection
{
    internal NoiseConnection(NoiseStream stream, PeerId remotePeer, PublicKey remoteKey, string? muxer)
    {
        Stream = stream;
        RemotePeer = remotePeer;
        RemoteKey = remoteKey;
        Muxer = muxer;
    }

    /// <summary>The encrypted duplex stream (a <see cref="NoiseStream"/>) over the transport; disposing it disposes the transport.</summary>
    public Stream Stream { get; }

    /// <summary>The remote peer, authenticated by its signature over its Noise static key.</summary>
    public PeerId RemotePeer { get; }

    /// <summary>The remote identity key.</summary>
    public PublicKey RemoteKey { get; }

    /// <summary>The stream muxer agreed in the handshake's <c>stream_muxers</c> extension, or null when none was
    /// agreed (then the muxer is negotiated with multistream-select).</summary>
    public string? Muxer { get; }
}
