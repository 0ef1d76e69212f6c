namespace Dione.Libp2p.Muxing;

/// <summary>
/// A stream multiplexer the host can agree on with a peer: by multistream-select after the security handshake, or
/// inside it (Noise's <c>stream_muxers</c> extension). Listed, most preferred first, in
/// <see cref="Host.Libp2pHostBuilder.WithMuxers"/>.
/// </summary>
public interface IStreamMuxer
{
    /// <summary>The protocol id, e.g. <c>/yamux/1.0.0</c>.</summary>
    string ProtocolId { get; }

    /// <summary>Starts a muxed connection over <paramref name="secured"/>, which it owns from now on.</summary>
    /// <param name="secured">The secured duplex stream (it may implement <see cref="Security.ISealingStream"/>).</param>
    /// <param name="isInitiator">True on the side that dialed.</param>
    IMuxedConnection Start(Stream secured, bool isInitiator);
}
