using System.Security.Cryptography;
using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Noise;

/// <summary>
/// The Noise HandshakeState (rev 34, section 5.3) for <c>Noise_XX_25519_ChaChaPoly_SHA256</c>:
/// <code>
/// -> e
/// &lt;- e, ee, s, es
/// -> s, se
/// </code>
/// The three messages alternate between the roles; each may carry a payload. After the third message
/// <see cref="Split"/> yields the transport ciphers.
/// </summary>
internal sealed class NoiseXXHandshakeState : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
    public const int MessageCount = 3;

    private const int KeyLength = NoiseLimits.DhLength;

    private readonly bool _initiator;
    private readonly NoiseSymmetricState _symmetric;
    private readonly X25519KeyPair _localStatic;
    private X25519KeyPair? _localEphemeral;
    private byte[]? _remoteStatic;
    private byte[]? _remoteEphemeral;
    private int _messageIndex;

    /// <param name="initiator">True for the side that sends the first message.</param>
    /// <param name="prologue">Data both sides must agree on (libp2p uses an empty prologue).</param>
    /// <param name="localStatic">This side's static key pair.</param>
    /// <param name="localEphemeral">A fixed ephemeral key pair, for test vectors only; normally generated.</param>
    public NoiseXXHandshakeState(bool initiator, ReadOnlySpan<byte> prologue, X25519KeyPair localStatic, X25519KeyPair? localEphemeral = null)
    {
        _initiator = initiator;
        _localStatic = localStatic;
        _localEphemeral = localEphemeral;
        _symmetric = new NoiseSymmetricState(ProtocolName);
        _symmetric.MixHash(prologue);
    }

    public bool IsComplete => _messageIndex == MessageCount;

    /// <summary>True when the next message is ours to write.</summary>
    public bool IsMyTurn => !IsComplete && (_messageIndex % 2 == 0) == _initiator;

    /// <summary>The remote static public key, known after message 2 (initiator) or 3 (responder).</summary>
    public ReadOnlySpan<byte> RemoteStaticKey => _remoteStatic;

    public ReadOnlySpan<byte> HandshakeHash => _symmetric.HandshakeHash;

    /// <summary>Builds the next handshake message carrying <paramref name="payload"/>.</summary>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        if (!IsMyTurn)
        {
            throw new InvalidOperationException("not this side's turn to write a handshake message");
        }
        var message = new byte[MessageLength(payload.Length)];
        var offset = 0;
        switch (_messageIndex)
        {
            case 0:
                offset += WriteEphemeral(message);
                break;
            case 1:
                offset += WriteEphemeral(message);
                MixDh(_localEphemeral!, _remoteEphemeral!);
                offset += WriteStatic(message.AsSpan(offset));
                MixDh(_localStatic, _remoteEphemeral!);
                break;
            default:
                offset += WriteStatic(message);
                MixDh(_localStatic, _remoteEphemeral!);
                break;
        }
        _symmetric.EncryptAndHash(payload, message.AsSpan(offset));
        _messageIndex++;
        return message;
    }

    /// <summary>Processes the next handshake message from the remote side and returns its payload.</summary>
    /// <exception cref="NoiseHandshakeException">The message is malformed or does not authenticate.</exception>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        if (IsComplete || IsMyTurn)
        {
            throw new InvalidOperationException("not this side's turn to read a handshake message");
        }
        try
        {
            var offset = 0;
            switch (_messageIndex)
            {
                case 0:
                    offset += ReadEphemeral(message);
                    break;
                case 1:
                    offset += ReadEphemeral(message);
                    MixDh(_localEphemeral!, _remoteEphemeral!);
                    offset += ReadStatic(message[offset..]);
                    MixDh(_localEphemeral!, _remoteStatic!);
                    break;
                default:
                    offset += ReadStatic(message);
                    MixDh(_localEphemeral!, _remoteStatic!);
                    break;
            }
            var payload = _symmetric.DecryptAndHash(message[offset..]);
            _messageIndex++;
            return payload;
        }
        catch (CryptographicException e)
        {
            throw new NoiseHandshakeException($"handshake message {_messageIndex + 1} failed to decrypt", e);
        }
    }

    /// <summary>The transport ciphers as (send, receive) for this side.</summary>
    public (NoiseCipherState Send, NoiseCipherState Receive) Split()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("handshake not complete");
        }
        var (initiatorToResponder, responderToInitiator) = _symmetric.Split();
        return _initiator ? (initiatorToResponder, responderToInitiator) : (responderToInitiator, initiatorToResponder);
    }

    public void Dispose() => _symmetric.Dispose();

    /// <summary>The length of the next message this side writes with a payload of <paramref name="payloadLength"/> bytes.</summary>
    public int MessageLength(int payloadLength) => _messageIndex switch
    {
        // e, payload in clear (no key yet)
        0 => KeyLength + payloadLength,
        // e, encrypted s, encrypted payload
        1 => KeyLength + KeyLength + NoiseLimits.TagLength + payloadLength + NoiseLimits.TagLength,
        // encrypted s, encrypted payload
        _ => KeyLength + NoiseLimits.TagLength + payloadLength + NoiseLimits.TagLength,
    };

    private int WriteEphemeral(Span<byte> destination)
    {
        _localEphemeral ??= X25519KeyPair.Generate();
        _localEphemeral.PublicKey.CopyTo(destination);
        _symmetric.MixHash(_localEphemeral.PublicKey);
        return KeyLength;
    }

    private int WriteStatic(Span<byte> destination)
    {
        var length = _symmetric.CiphertextLength(KeyLength);
        _symmetric.EncryptAndHash(_localStatic.PublicKey, destination[..length]);
        return length;
    }

    private int ReadEphemeral(ReadOnlySpan<byte> message)
    {
        if (message.Length < KeyLength)
        {
            throw new NoiseHandshakeException($"handshake message {_messageIndex + 1} is too short for an ephemeral key");
        }
        _remoteEphemeral = message[..KeyLength].ToArray();
        _symmetric.MixHash(_remoteEphemeral);
        return KeyLength;
    }

    private int ReadStatic(ReadOnlySpan<byte> message)
    {
        var length = _symmetric.CiphertextLength(KeyLength);
        if (message.Length < length)
        {
            throw new NoiseHandshakeException($"handshake message {_messageIndex + 1} is too short for a static key");
        }
        _remoteStatic = _symmetric.DecryptAndHash(message[..length]);
        return length;
    }

    private void MixDh(X25519KeyPair local, byte[] remotePublicKey)
    {
        Span<byte> shared = stackalloc byte[KeyLength];
        try
        {
            if (!local.TryAgree(remotePublicKey, shared))
            {
                throw new NoiseHandshakeException("remote X25519 key is invalid (low-order point)");
            }
            _symmetric.MixKey(shared);
        }
        finally
        {
            shared.Clear();
        }
    }
}
