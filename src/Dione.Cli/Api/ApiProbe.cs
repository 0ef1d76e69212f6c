using System.Net;
using System.Net.Sockets;

namespace Dione.Cli.Api;

/// <summary>Whether something accepts TCP connections at an address (a daemon's API still running), within a timeout.</summary>
public static class ApiProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> IsListeningAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
