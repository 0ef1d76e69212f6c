using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Libp2p.Records;

/// <summary>
/// A peer routing record (libp2p specs RFC 0003): a peer id, a sequence number and the peer's listen addresses,
/// carried in a <see cref="SignedEnvelope"/> signed by that peer.
/// </summary>
/// <remarks>
/// Domain and payload type follow go-libp2p and js-libp2p (domain <c>"libp2p-peer-record"</c>, payload type the bytes
/// <c>03 01</c>), not the RFC's draft values (<c>"libp2p-routing-state"</c>, <c>"/libp2p/routing-state-record"</c>),
/// which no implementation sends. Note <c>03 01</c> is the multicodec libp2p-peer-record (0x0301) written big-endian,
/// not its uvarint (<c>81 06</c>); the implementations' bytes are what interoperates.
/// </remarks>
public sealed class PeerRecord
{
    /// <summary>The signed-envelope domain of peer records.</summary>
    public const string Domain = "libp2p-peer-record";

    private static readonly byte[] PayloadTypeBytes = [0x03, 0x01];

    private readonly IReadOnlyList<Multiaddress> _addresses;

    /// <summary>A record with an explicit sequence number.</summary>
    public PeerRecord(PeerId peerId, IEnumerable<Multiaddress> addresses, ulong seq)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ArgumentNullException.ThrowIfNull(addresses);
        Multiaddress[] copy = [.. addresses];
        if (copy.Any(a => a is null))
        {
            throw new ArgumentException("addresses must not contain null", nameof(addresses));
        }
        PeerId = peerId;
        _addresses = Array.AsReadOnly(copy);
        Seq = seq;
    }

    /// <summary>A record whose sequence number is the current time (<see cref="TimestampSeq"/>).</summary>
    public PeerRecord(PeerId peerId, IEnumerable<Multiaddress> addresses)
        : this(peerId, addresses, TimestampSeq())
    {
    }

    /// <summary>The payload type of peer records: the bytes <c>03 01</c> (see the remarks on the class).</summary>
    public static ReadOnlyMemory<byte> PayloadType => PayloadTypeBytes;

    public PeerId PeerId { get; }

    /// <summary>Orders records of one peer in time: a newer record has a greater value. Not a timestamp to interpret.</summary>
    public ulong Seq { get; }

    public IReadOnlyList<Multiaddress> Addresses => _addresses;

    /// <summary>
    /// A time-based sequence number: Unix time in nanoseconds (go-libp2p's choice; js-libp2p uses milliseconds),
    /// at the clock's resolution. Two calls within one clock tick return the same value, so a caller issuing records
    /// faster than that must increase the number itself.
    /// </summary>
    public static ulong TimestampSeq(TimeProvider? timeProvider = null)
    {
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        return (ulong)(now - DateTimeOffset.UnixEpoch).Ticks * 100;
    }

    /// <summary>The protobuf encoding (the envelope payload).</summary>
    public byte[] ToProtobuf()
    {
        var message = new Protos.PeerRecord { PeerId = ByteString.CopyFrom(PeerId.Bytes), Seq = Seq };
        foreach (var address in _addresses)
        {
            message.Addresses.Add(new Protos.PeerRecord.Types.AddressInfo { Multiaddr = ByteString.CopyFrom(address.ToBytes()) });
        }
        return message.ToByteArray();
    }

    /// <summary>
    /// Decodes the protobuf encoding. Addresses that cannot be decoded (empty, or using protocols this implementation
    /// does not know) are skipped, as go-libp2p does, so one exotic address does not void the record.
    /// </summary>
    /// <exception cref="FormatException">malformed protobuf or an invalid peer id.</exception>
    public static PeerRecord FromProtobuf(ReadOnlySpan<byte> bytes)
    {
        Protos.PeerRecord message;
        try
        {
            message = Protos.PeerRecord.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("malformed peer record", e);
        }
        var peerId = PeerId.FromBytes(message.PeerId.Span);
        var addresses = new List<Multiaddress>(message.Addresses.Count);
        foreach (var info in message.Addresses)
        {
            try
            {
                addresses.Add(Multiaddress.FromBytes(info.Multiaddr.Span));
            }
            catch (FormatException)
            {
                // skipped, see the summary
            }
        }
        return new PeerRecord(peerId, addresses, message.Seq);
    }

    /// <summary>Seals this record in an envelope signed by <paramref name="key"/>, which must be this record's peer's key.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> does not belong to <see cref="PeerId"/>.</exception>
    public SignedEnvelope ToSignedEnvelope(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!PeerId.Matches(key.PublicKey))
        {
            throw new ArgumentException("the signing key does not belong to the record's peer id", nameof(key));
        }
        return SignedEnvelope.Seal(key, Domain, PayloadTypeBytes, ToProtobuf());
    }

    /// <summary>Opens a marshalled envelope and decodes the peer record inside (see <see cref="FromSignedEnvelope(SignedEnvelope)"/>).</summary>
    /// <exception cref="FormatException">malformed, wrong payload type, or a peer id that does not match the signer.</exception>
    /// <exception cref="EnvelopeSignatureException">the signature does not verify for the peer-record domain.</exception>
    public static PeerRecord FromSignedEnvelope(ReadOnlySpan<byte> bytes) => FromSignedEnvelope(SignedEnvelope.Open(bytes, Domain));

    /// <summary>
    /// Decodes the peer record of an envelope already opened for <see cref="Domain"/>, checking its payload type and
    /// that the record's peer id is the envelope signer's.
    /// </summary>
    /// <exception cref="FormatException">wrong payload type, malformed record, or a peer id that does not match the signer.</exception>
    public static PeerRecord FromSignedEnvelope(SignedEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!envelope.PayloadType.Span.SequenceEqual(PayloadTypeBytes))
        {
            throw new FormatException("signed envelope does not carry a peer record (wrong payload type)");
        }
        var record = FromProtobuf(envelope.Payload.Span);
        if (!record.PeerId.Matches(envelope.PublicKey))
        {
            throw new FormatException("peer record's peer id does not match the envelope's signing key");
        }
        return record;
    }
}
