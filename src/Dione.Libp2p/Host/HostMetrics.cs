using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dione.Libp2p.Host;

/// <summary>
/// A host's counters, on a meter named <see cref="MeterName"/> (readable with dotnet-counters or OpenTelemetry),
/// and its dial traces on an activity source of the same name.
/// </summary>
public sealed class HostMetrics : IDisposable
{
    public const string MeterName = "Dione.Libp2p";

    private readonly Meter _meter;
    private readonly Counter<long> _connectionsOpened;
    private readonly Counter<long> _connectionsClosed;
    private readonly Counter<long> _handshakeFailures;
    private readonly Counter<long> _connectionsRefused;
    private readonly Counter<long> _inboundStreams;
    private readonly Counter<long> _streamsRefused;

    public HostMetrics()
    {
        _meter = new Meter(MeterName);
        _connectionsOpened = _meter.CreateCounter<long>("dione.libp2p.connections.opened", description: "Connections established, by direction");
        _connectionsClosed = _meter.CreateCounter<long>("dione.libp2p.connections.closed", description: "Connections closed, by direction");
        _handshakeFailures = _meter.CreateCounter<long>("dione.libp2p.handshakes.failed", description: "Connection upgrades that failed, by direction");
        _connectionsRefused = _meter.CreateCounter<long>("dione.libp2p.connections.refused", description: "Inbound connections refused by a limit");
        _inboundStreams = _meter.CreateCounter<long>("dione.libp2p.streams.inbound", description: "Inbound streams handed to a handler, by protocol");
        _streamsRefused = _meter.CreateCounter<long>("dione.libp2p.streams.refused", description: "Inbound streams whose negotiation failed");
        ActivitySource = new ActivitySource(MeterName);
    }

    internal Meter Meter => _meter;

    /// <summary>Traces dials (<c>dial</c>) with the address and the peer.</summary>
    public ActivitySource ActivitySource { get; }

    internal void ConnectionOpened(Direction direction) => _connectionsOpened.Add(1, Tag(direction));

    internal void ConnectionClosed(Direction direction) => _connectionsClosed.Add(1, Tag(direction));

    internal void HandshakeFailed(Direction direction) => _handshakeFailures.Add(1, Tag(direction));

    internal void ConnectionRefused() => _connectionsRefused.Add(1);

    internal void InboundStream(string protocol) => _inboundStreams.Add(1, new KeyValuePair<string, object?>("protocol", protocol));

    internal void StreamRefused() => _streamsRefused.Add(1);

    private static KeyValuePair<string, object?> Tag(Direction direction) =>
        new("direction", direction == Direction.Inbound ? "inbound" : "outbound");

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
