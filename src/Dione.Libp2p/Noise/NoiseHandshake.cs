using Dione.Libp2p.Identity;
using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Noise;

/// <summary>
/// Runs the libp2p Noise XX handshake (specs/noise) over a transport: message 1 carries no payload, message 2 the
/// responder's signed identity payload and muxers, message 3 the initiator's. Every message is read with a 16-bit
/// length, so at most 64 KiB is buffered; the cancellation token bounds every wait.
/// </summary>
internal static class NoiseHandshake
{
    /// <summary>The largest payload message 2 can carry: 65535 minus the ephemeral key, the encrypted static key
    /// and the payload's tag (message 3 has 32 bytes more room, so this bound serves both).</summary>
    internal const int MaxPayloadLength =
        NoiseLimits.MaxMessageLength - NoiseLimits.DhLength - (NoiseLimits.DhLength + NoiseLimits.TagLength) - NoiseLimits.TagLength;

    public static Task<NoiseConnection> RunAsync(
        bool initiator,
        Stream transport,
        PrivateKey identity,
        PeerId? expectedRemote,
        IReadOnlyList<string> localMuxers,
        NoiseHandshakeOverrides? overrides,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(localMuxers);
        var localStatic = overrides?.StaticKey ?? X25519KeyPair.Generate();
        var payload = overrides?.PayloadFactory?.Invoke(localStatic.PublicKey.ToArray())
            ?? NoiseHandshakePayloadCodec.Create(identity, localStatic.PublicKey, localMuxers);
        if (payload.Length > MaxPayloadLength)
        {
            throw new ArgumentException("the handshake payload (identity key, signature, muxer list) exceeds one Noise message", nameof(localMuxers));
        }
        return RunAsync(initiator, transport, localStatic, payload, localMuxers, expectedRemote, overrides?.EphemeralKey, cancellationToken);
    }

    /// <summary>Runs the handshake with a host-wide static key and its prepared payload.</summary>
    public static Task<NoiseConnection> RunAsync(
        bool initiator,
        Stream transport,
        NoiseLocalIdentity local,
        PeerId? expectedRemote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(local);
        return RunAsync(initiator, transport, local.StaticKey, local.Payload.ToArray(), local.StreamMuxers, expectedRemote, null, cancellationToken);
    }

    private static async Task<NoiseConnection> RunAsync(
        bool initiator,
        Stream transport,
        X25519KeyPair localStatic,
        byte[] payload,
        IReadOnlyList<string> localMuxers,
        PeerId? expectedRemote,
        X25519KeyPair? ephemeralKey,
        CancellationToken cancellationToken)
    {
        using var state = new NoiseXXHandshakeState(initiator, ReadOnlySpan<byte>.Empty, localStatic, ephemeralKey);
        NoiseRemoteIdentity remote;
        if (initiator)
        {
            await NoiseHandshakeFraming.WriteMessageAsync(transport, state.WriteMessage([]), cancellationToken).ConfigureAwait(false);
            var message2 = await NoiseHandshakeFraming.ReadMessageAsync(transport, cancellationToken).ConfigureAwait(false);
            var remotePayload = state.ReadMessage(message2);
            remote = NoiseHandshakePayloadCodec.Authenticate(remotePayload, state.RemoteStaticKey, expectedRemote);
            await NoiseHandshakeFraming.WriteMessageAsync(transport, state.WriteMessage(payload), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var message1 = await NoiseHandshakeFraming.ReadMessageAsync(transport, cancellationToken).ConfigureAwait(false);
            // Message 1 carries no libp2p data; whatever payload it holds is only mixed into the transcript.
            state.ReadMessage(message1);
            await NoiseHandshakeFraming.WriteMessageAsync(transport, state.WriteMessage(payload), cancellationToken).ConfigureAwait(false);
            var message3 = await NoiseHandshakeFraming.ReadMessageAsync(transport, cancellationToken).ConfigureAwait(false);
            var remotePayload = state.ReadMessage(message3);
            remote = NoiseHandshakePayloadCodec.Authenticate(remotePayload, state.RemoteStaticKey, expectedRemote);
        }
        var muxer = initiator
            ? NoiseMuxerSelection.Select(localMuxers, remote.StreamMuxers)
            : NoiseMuxerSelection.Select(remote.StreamMuxers, localMuxers);
        var (send, receive) = state.Split();
        return new NoiseConnection(new NoiseStream(transport, send, receive), remote.PeerId, remote.Key, muxer);
    }
}
