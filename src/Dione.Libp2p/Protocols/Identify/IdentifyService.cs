using System.Collections.Concurrent;
using Dione.Libp2p.Framing;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Records;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Libp2p.Protocols.Identify;

/// <summary>
/// libp2p identify and identify/push (specs/identify): tells each connected peer who we are, what we speak and
/// where we listen, learns the same of them, and pushes an update when our protocols or addresses change.
/// </summary>
public sealed class IdentifyService
{
    public const string ProtocolId = "/ipfs/id/1.0.0";
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";

    /// <summary>Largest identify message we read (go and js both cap at 8 KiB).</summary>
    public const int MaxMessageSize = 8 * 1024;

    /// <summary>Largest identify message we send (go trims to 4 KiB for rust-libp2p's sake).</summary>
    public const int MaxOwnMessageSize = 4 * 1024;

    /// <summary>Messages merged from one stream at most (go sends up to two).</summary>
    public const int MaxMessagesPerStream = 10;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Libp2pHost _host;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Connection, Task<PeerInfo>> _identifications = new();
    private readonly object _recordGate = new();
    private ulong _recordSeq;
    private byte[]? _signedRecord;
    private int _pushPending;

    internal IdentifyService(Libp2pHost host, ILoggerFactory? loggerFactory)
    {
        _host = host;
        _logger = loggerFactory?.CreateLogger<IdentifyService>() ?? NullLogger<IdentifyService>.Instance;
        _recordSeq = PeerRecord.TimestampSeq();
        host.Connected += (_, connection) => _ = IdentifyAsync(connection, host.Lifetime);
        host.Disconnected += (_, connection) => _identifications.TryRemove(connection, out Task<PeerInfo>? _);
        host.LocalRecordChanged += (_, _) => OnLocalRecordChanged();
    }

    /// <summary>Raised when a peer has been identified (or has pushed an update).</summary>
    public event EventHandler<PeerInfo>? PeerIdentified;

    /// <summary>Identifies the peer at the other end of <paramref name="connection"/>; runs once per connection.</summary>
    public Task<PeerInfo> IdentifyAsync(Connection connection, CancellationToken cancellationToken = default) =>
        _identifications.GetOrAdd(connection, c => RequestAsync(c, _host.Lifetime)).WaitAsync(cancellationToken);

    /// <summary>Waits until the connected <paramref name="peer"/> has been identified.</summary>
    public Task<PeerInfo> WaitForPeerAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        var connection = _host.FindConnection(peer) ?? throw new InvalidOperationException($"not connected to {peer}");
        return IdentifyAsync(connection, cancellationToken);
    }

    /// <summary>The identify message we send to the peer of <paramref name="connection"/>.</summary>
    public Protos.Identify BuildMessage(Connection? connection)
    {
        var addresses = AdvertisedAddresses();
        var message = new Protos.Identify
        {
            ProtocolVersion = _host.ProtocolVersion,
            AgentVersion = _host.AgentVersion,
            PublicKey = ByteString.CopyFrom(_host.Identity.PublicKey.ToProtobuf()),
            SignedPeerRecord = ByteString.CopyFrom(SignedRecord(addresses)),
        };
        message.Protocols.AddRange(_host.Protocols);
        if (connection is not null)
        {
            message.ObservedAddr = ByteString.CopyFrom(connection.RemoteAddress.ToBytes());
        }
        foreach (var address in addresses)
        {
            var bytes = ByteString.CopyFrom(address.ToBytes());
            if (message.CalculateSize() + bytes.Length + 4 > MaxOwnMessageSize)
            {
                break;
            }
            message.ListenAddrs.Add(bytes);
        }
        return message;
    }

    /// <summary>Our listen addresses as peers should see them: unspecified addresses expanded to the interfaces'.</summary>
    public IReadOnlyList<Multiaddress> AdvertisedAddresses() => InterfaceAddresses.Expand(_host.ListenAddresses);

    internal async Task HandleIdentifyAsync(StreamContext context, CancellationToken cancellationToken)
    {
        await context.WriteMessageAsync(BuildMessage(context.Connection), cancellationToken).ConfigureAwait(false);
    }

    internal async Task HandlePushAsync(StreamContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var message = await ReadMergedAsync(context.Stream, timeout.Token).ConfigureAwait(false);
        Apply(context.Connection, message);
    }

    private async Task<PeerInfo> RequestAsync(Connection connection, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await using var stream = await connection.OpenStreamAsync([ProtocolId], timeout.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            var message = await ReadMergedAsync(stream.Stream, timeout.Token).ConfigureAwait(false);
            return Apply(connection, message);
        }
        catch (Exception e)
        {
            IdentifyLog.Failed(_logger, connection.RemotePeer.ToString(), e.Message);
            throw;
        }
    }

    /// <summary>Reads identify messages until the peer closes the stream and merges them, as go and js do.</summary>
    internal static async Task<Protos.Identify> ReadMergedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var merged = new Protos.Identify();
        for (var count = 0; ; count++)
        {
            var next = await LengthPrefixed.ReadMessageAsync(stream, Protos.Identify.Parser, MaxMessageSize, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                return merged;
            }
            if (count == MaxMessagesPerStream)
            {
                throw new InvalidDataException($"more than {MaxMessagesPerStream} identify messages on one stream");
            }
            merged.MergeFrom(next);
        }
    }

    private PeerInfo Apply(Connection connection, Protos.Identify message)
    {
        var peer = connection.RemotePeer;
        if (message.HasPublicKey)
        {
            var key = PublicKey.FromProtobuf(message.PublicKey.Span);
            if (!peer.Matches(key))
            {
                throw new InvalidDataException("identify public key does not match the connection's peer");
            }
        }
        var record = message.HasSignedPeerRecord ? OpenRecord(peer, message.SignedPeerRecord.Span) : null;
        var known = _host.Peers.Get(peer);
        if (record is not null && known?.PeerRecordSeq is { } seen && record.Seq < seen)
        {
            record = null;
        }
        var listenAddresses = record is not null
            ? record.Addresses.ToList()
            : message.ListenAddrs.Select(a => TryParse(a.Span)).OfType<Multiaddress>().ToList();
        var observed = message.HasObservedAddr ? TryParse(message.ObservedAddr.Span)?.WithoutPeerId() : null;
        var info = _host.Peers.Update(peer, current => current with
        {
            Addresses = listenAddresses.Count > 0 ? listenAddresses.Select(a => a.WithoutPeerId()).Distinct().ToList() : current.Addresses,
            Protocols = message.Protocols.Count > 0 || message.HasAgentVersion ? message.Protocols.Distinct().ToList() : current.Protocols,
            AgentVersion = message.HasAgentVersion ? message.AgentVersion : current.AgentVersion,
            ProtocolVersion = message.HasProtocolVersion ? message.ProtocolVersion : current.ProtocolVersion,
            ObservedAddress = observed ?? current.ObservedAddress,
            PeerRecordSeq = record?.Seq ?? current.PeerRecordSeq,
        });
        IdentifyLog.Identified(_logger, peer.ToString(), info.AgentVersion, info.Protocols.Count, info.Addresses.Count);
        PeerIdentified?.Invoke(this, info);
        return info;
    }

    private PeerRecord? OpenRecord(PeerId peer, ReadOnlySpan<byte> envelope)
    {
        try
        {
            var record = PeerRecord.FromSignedEnvelope(envelope);
            if (record.PeerId != peer)
            {
                IdentifyLog.BadPeerRecord(_logger, peer.ToString(), "record is for another peer");
                return null;
            }
            return record;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or NotSupportedException)
        {
            IdentifyLog.BadPeerRecord(_logger, peer.ToString(), e.Message);
            return null;
        }
    }

    private static Multiaddress? TryParse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Multiaddress.FromBytes(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] SignedRecord(IReadOnlyList<Multiaddress> addresses)
    {
        lock (_recordGate)
        {
            return _signedRecord ??= new PeerRecord(_host.PeerId, addresses, _recordSeq).ToSignedEnvelope(_host.Identity).ToBytes();
        }
    }

    private void OnLocalRecordChanged()
    {
        lock (_recordGate)
        {
            _signedRecord = null;
            _recordSeq = Math.Max(_recordSeq + 1, PeerRecord.TimestampSeq());
        }
        if (Interlocked.Exchange(ref _pushPending, 1) == 0)
        {
            _ = PushToAllAsync();
        }
    }

    private async Task PushToAllAsync()
    {
        await Task.Yield();
        Interlocked.Exchange(ref _pushPending, 0);
        foreach (var connection in _host.Connections)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_host.Lifetime);
                timeout.CancelAfter(Timeout);
                await using var stream = await connection.OpenStreamAsync([PushProtocolId], timeout.Token).ConfigureAwait(false);
                await stream.WriteMessageAsync(BuildMessage(connection), timeout.Token).ConfigureAwait(false);
                await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                IdentifyLog.PushFailed(_logger, connection.RemotePeer.ToString(), e.Message);
            }
        }
    }
}
