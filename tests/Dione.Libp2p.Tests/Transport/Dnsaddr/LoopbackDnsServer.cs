using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

/// <summary>
/// A DNS server of our own on 127.0.0.1 (UDP, and TCP on the same port): each query is answered with the messages the
/// test's function returns (none: no answer over UDP, the connection closed over TCP). Never leaves the machine.
/// </summary>
internal sealed class LoopbackDnsServer : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly TcpListener? _tcp;
    private readonly Func<DnsTestQuery, IReadOnlyList<byte[]>> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    private LoopbackDnsServer(Socket udp, TcpListener? tcp, Func<DnsTestQuery, IReadOnlyList<byte[]>> answer)
    {
        _udp = udp;
        _tcp = tcp;
        _answer = answer;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _udpLoop = Task.Run(ServeUdpAsync);
        _tcpLoop = tcp is null ? Task.CompletedTask : Task.Run(ServeTcpAsync);
    }

    public IPEndPoint EndPoint { get; }

    public ConcurrentQueue<DnsTestQuery> Queries { get; } = new();

    public static LoopbackDnsServer Start(Func<DnsTestQuery, IReadOnlyList<byte[]>> answer, bool withTcp = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            if (!withTcp)
            {
                return new LoopbackDnsServer(udp, null, answer);
            }
            var tcp = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.LocalEndPoint!).Port);
            try
            {
                tcp.Start();
                return new LoopbackDnsServer(udp, tcp, answer);
            }
            catch (SocketException) when (attempt < 20)
            {
                // The UDP port's TCP twin is taken; try another port.
                udp.Dispose();
            }
        }
    }

    /// <summary>A server that answers TXT queries with fixed records per name and NXDOMAIN otherwise.</summary>
    public static LoopbackDnsServer WithRecords(IReadOnlyDictionary<string, string[]> records) =>
        Start(query => records.TryGetValue(query.Name, out var texts)
            ? [DnsMessageBuilder.TxtResponse(query.Id, query.Name, texts)]
            : [DnsMessageBuilder.TxtResponse(query.Id, query.Name, [], responseCode: 3)]);

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            if (Decode(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), overTcp: false) is not { } query)
            {
                continue;
            }
            foreach (var message in _answer(query))
            {
                try
                {
                    await _udp.SendToAsync(message, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
                }
                catch (SocketException)
                {
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp!.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }
            connections.Add(ServeConnectionAsync(client));
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var prefix = new byte[2];
                await stream.ReadExactlyAsync(prefix, _stop.Token);
                var raw = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await stream.ReadExactlyAsync(raw, _stop.Token);
                if (Decode(raw, overTcp: true) is not { } query)
                {
                    return;
                }
                foreach (var message in _answer(query))
                {
                    var framed = new byte[2 + message.Length];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
                    message.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }

    private DnsTestQuery? Decode(byte[] raw, bool overTcp)
    {
        try
        {
            var offset = 12;
            var name = ReadQuestionName(raw, ref offset);
            var query = new DnsTestQuery(
                BinaryPrimitives.ReadUInt16BigEndian(raw),
                name,
                BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(offset)),
                overTcp,
                raw);
            Queries.Enqueue(query);
            return query;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The question's name, lower case without the root dot; a client's query has no compression pointers.</summary>
    private static string ReadQuestionName(byte[] raw, ref int offset)
    {
        var labels = new List<string>();
        while (raw[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(raw, offset + 1, raw[offset]));
            offset += 1 + raw[offset];
        }
        offset++;
        return string.Join('.', labels).ToLowerInvariant();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp?.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
