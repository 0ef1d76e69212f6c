using System.Net;
using System.Net.Sockets;
using System.Text;
using Dione.Cli.Api;
using Dione.Cli.Repo;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Tests;

/// <summary>
/// A stand-in for a daemon's API on 127.0.0.1: it answers every request with the same 200 reply body, and, as a
/// daemon does, holds the repo's lock (making the repo first when there is none) and writes its <c>api</c> and
/// <c>api.token</c> files so that <c>dione</c> finds it. Tests use it to hand the CLI replies that no real daemon
/// sends (a field missing, renamed, null).
/// </summary>
public sealed class CannedApiServer : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _body;
    private readonly int _announcedExtra;
    private readonly RepoLock _repoLock;
    private readonly Task _serving;

    private CannedApiServer(string body, int announcedExtra, RepoLock repoLock)
    {
        _body = Encoding.UTF8.GetBytes(body);
        _announcedExtra = announcedExtra;
        _repoLock = repoLock;
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    /// <summary>Starts answering with <paramref name="body"/> and points the repo at it.</summary>
    /// <param name="cutShort">
    /// Announce a longer body than is sent, then close: a reply that ends in the middle, as when the daemon dies.
    /// </param>
    public static CannedApiServer Start(string repoPath, string body, bool cutShort = false)
    {
        if (!File.Exists(Path.Combine(repoPath, DioneRepo.ConfigFileName)))
        {
            DioneRepo.Init(repoPath, KeyType.Ed25519);
        }
        var server = new CannedApiServer(body, cutShort ? 100 : 0, RepoLock.TryAcquire(repoPath) ?? throw new InvalidOperationException($"the lock of {repoPath} is taken"));
        ApiRepoFiles.WriteToken(repoPath);
        ApiRepoFiles.WriteAddress(repoPath, Multiaddress.Parse($"/ip4/127.0.0.1/tcp/{((IPEndPoint)server._listener.LocalEndpoint).Port}"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
            // the accept loop ends by cancellation
        }
        _stop.Dispose();
        _repoLock.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            await using var stream = client.GetStream();
            try
            {
                await SkipRequestAsync(stream, cancellationToken);
                var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {_body.Length + _announcedExtra}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
                await stream.WriteAsync(_body, cancellationToken);
            }
            catch (IOException)
            {
                // A client that connects and closes without a request: dione's probe of whether a daemon's API is up.
            }
        }
    }

    /// <summary>Reads the request's head and body (by Content-Length), so closing afterwards resets nothing.</summary>
    private static async Task SkipRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0 || received.Count + read > MaxRequestHeadBytes)
            {
                return;
            }
            received.AddRange(buffer.AsSpan(0, read));
        }
        var head = Encoding.ASCII.GetString([.. received.Take(headEnd)]);
        var length = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var remaining = length - (received.Count - headEnd - 4);
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                return;
            }
            remaining -= read;
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }
}
