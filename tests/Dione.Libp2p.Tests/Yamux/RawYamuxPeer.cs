using System.Net.Sockets;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

/// <summary>
/// A real <see cref="YamuxSession"/> on one end of a loopback TCP connection and a hand-driven raw peer on the other,
/// which writes arbitrary frames (or bytes) and reads the session's frames.
/// </summary>
internal sealed class RawYamuxPeer : IAsyncDisposable
{
    private readonly LoopbackPair _loopback;
    private readonly byte[] _header = new byte[YamuxHeader.Size];

    private RawYamuxPeer(LoopbackPair loopback, YamuxSession session, NetworkStream raw)
    {
        _loopback = loopback;
        Session = session;
        Raw = raw;
    }

    public YamuxSession Session { get; }

    public NetworkStream Raw { get; }

    /// <summary>The session is the listener by default, so the raw peer opens odd stream ids.</summary>
    public static async Task<RawYamuxPeer> CreateAsync(YamuxSettings? settings = null, bool sessionIsInitiator = false)
    {
        var loopback = await LoopbackPair.CreateAsync();
        // The session owns its transport: closing it closes the TCP connection, which the raw peer observes.
        var sessionEnd = new NetworkStream((sessionIsInitiator ? loopback.Client : loopback.Server).Socket, ownsSocket: true);
        var rawEnd = sessionIsInitiator ? loopback.Server : loopback.Client;
        var session = new YamuxSession(sessionEnd, sessionIsInitiator, settings);
        session.Start();
        return new RawYamuxPeer(loopback, session, rawEnd);
    }

    public async Task SendAsync(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length, byte[]? payload, CancellationToken ct)
    {
        var frame = new byte[YamuxHeader.Size + (payload?.Length ?? 0)];
        new YamuxHeader(type, flags, streamId, length).WriteTo(frame);
        payload?.CopyTo(frame, YamuxHeader.Size);
        await Raw.WriteAsync(frame, ct);
    }

    /// <summary>Reads the next frame; null when the session closed the connection.</summary>
    public async Task<(YamuxHeader Header, byte[] Payload)?> ReadFrameAsync(CancellationToken ct)
    {
        try
        {
            await Raw.ReadExactlyAsync(_header, ct);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return null;
        }
        var header = YamuxHeader.Read(_header);
        var payload = header.Type == YamuxFrameType.Data ? new byte[header.Length] : [];
        await Raw.ReadExactlyAsync(payload, ct);
        return (header, payload);
    }

    /// <summary>Reads frames until one matches; null if the connection closed first.</summary>
    public async Task<YamuxHeader?> ReadUntilAsync(Func<YamuxHeader, bool> match, CancellationToken ct)
    {
        while (await ReadFrameAsync(ct) is { } frame)
        {
            if (match(frame.Header))
            {
                return frame.Header;
            }
        }
        return null;
    }

    /// <summary>Reads until the session closes the connection; returns every frame header seen.</summary>
    public async Task<List<YamuxHeader>> ReadUntilClosedAsync(CancellationToken ct)
    {
        var headers = new List<YamuxHeader>();
        while (await ReadFrameAsync(ct) is { } frame)
        {
            headers.Add(frame.Header);
        }
        return headers;
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await _loopback.DisposeAsync();
    }
}
