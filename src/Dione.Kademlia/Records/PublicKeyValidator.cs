using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;

namespace Dione.Kademlia.Records;

/// <summary>
/// The <c>/pk/</c> namespace as go-libp2p-record's PublicKeyValidator: the key is <c>/pk/</c> followed by a binary
/// peer id multihash, the value is a libp2p <c>PublicKey</c> protobuf, and the peer id derived from that key must
/// equal the key's multihash byte for byte. All valid values for a key are the same key, so selection returns 0.
/// </summary>
public sealed class PublicKeyValidator : IRecordValidator
{
    /// <summary>The namespace this validator serves.</summary>
    public const string Namespace = "pk";

    /// <summary>The routing key for <paramref name="peer"/>'s public key: <c>/pk/</c> and the binary peer id.</summary>
    public static byte[] RoutingKey(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return [.. "/pk/"u8, .. peer.Bytes];
    }

    /// <exception cref="RecordValidationException">a key outside <c>/pk/</c> or without a valid multihash, a value
    /// that is not a supported public key, or a key whose peer id differs from the record key.</exception>
    public void Validate(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!RecordKey.TrySplit(key, out var ns, out var keyHash) || !ns.SequenceEqual("pk"u8))
        {
            throw new RecordValidationException("key is not in the /pk/ namespace");
        }
        try
        {
            Multihash.Parse(keyHash);
        }
        catch (FormatException e)
        {
            throw new RecordValidationException("/pk/ key does not hold a valid multihash", e);
        }
        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.FromProtobuf(value);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new RecordValidationException("/pk/ value is not a supported public key", e);
        }
        if (!PeerId.FromPublicKey(publicKey).Bytes.SequenceEqual(keyHash))
        {
            throw new RecordValidationException("public key does not match its /pk/ key");
        }
    }

    /// <summary>Returns 0: every valid value for one key is the same public key.</summary>
    /// <exception cref="RecordValidationException">no values (nothing can be chosen).</exception>
    public int Select(byte[] key, IReadOnlyList<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new RecordValidationException("no values to select from");
        }
        return 0;
    }
}
