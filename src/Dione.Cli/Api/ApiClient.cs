using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Dione.Cli.Api;

/// <summary>
/// Talks to a running daemon's API: finds it through <c>&lt;repo&gt;/api</c>, authenticates with
/// <c>&lt;repo&gt;/api.token</c>, and turns replies and kubo-shaped errors into values or one-line
/// <see cref="CliException"/>s.
/// </summary>
public sealed class ApiClient : IDisposable
{
    public const string NeedsDaemonMessage = "this command needs a running daemon (start it with 'dione daemon')";
    public const int MaxReplyBytes = 16 * 1024 * 1024;
    public const int MaxLineBytes = 1024 * 1024;
    public const int MaxErrorBytes = 64 * 1024;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;

    private ApiClient(IPEndPoint endPoint, string token)
    {
        EndPoint = endPoint;
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5), AllowAutoRedirect = false };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{endPoint}{ApiRoutes.Prefix}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>A client for the daemon the repo's files name, or null when there are none (no daemon running).</summary>
    public static ApiClient? TryOpen(string repoPath)
    {
        var endPoint = ApiRepoFiles.ReadEndPoint(repoPath);
        var token = endPoint is null ? null : ApiRepoFiles.ReadToken(repoPath);
        return endPoint is null || string.IsNullOrEmpty(token) ? null : new ApiClient(endPoint, token);
    }

    /// <exception cref="CliException">no daemon runs on the repo.</exception>
    public static ApiClient Open(string repoPath) => TryOpen(repoPath) ?? throw new CliException(NeedsDaemonMessage);

    /// <summary>A client when a daemon runs on the repo and accepts connections, else null.</summary>
    public static async Task<ApiClient?> ConnectAsync(string repoPath, CancellationToken cancellationToken)
    {
        var client = TryOpen(repoPath);
        if (client is not null && !await ApiProbe.IsListeningAsync(client.EndPoint, cancellationToken).ConfigureAwait(false))
        {
            client.Dispose();
            return null;
        }
        return client;
    }

    /// <summary>Runs a command that answers one JSON value.</summary>
    public async Task<JsonElement> PostAsync(string command, IEnumerable<string> arguments, IEnumerable<(string Name, string Value)>? options = null, HttpContent? body = null, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendAsync(command, arguments, options, body, timeout.Token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        await foreach (var value in NdjsonReader.ReadAsync(stream, MaxReplyBytes, timeout.Token).ConfigureAwait(false))
        {
            return value;
        }
        throw new CliException($"the daemon sent an empty reply to {command}");
    }

    /// <summary>
    /// Runs a command that streams JSON values; an error the daemon reports after the first value is thrown at the end.
    /// The whole stream must end within <see cref="RequestTimeout"/> unless <paramref name="endless"/> (a stream that
    /// follows events until the caller cancels).
    /// </summary>
    public async IAsyncEnumerable<JsonElement> StreamAsync(string command, IEnumerable<string> arguments, IEnumerable<(string Name, string Value)>? options = null, HttpContent? body = null, bool endless = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!endless)
        {
            timeout.CancelAfter(RequestTimeout);
        }
        using var response = await SendAsync(command, arguments, options, body, timeout.Token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        await foreach (var value in NdjsonReader.ReadAsync(stream, MaxLineBytes, timeout.Token).ConfigureAwait(false))
        {
            yield return value;
        }
        if (response.TrailingHeaders.TryGetValues(ApiResponse.StreamErrorTrailer, out var errors) && errors.FirstOrDefault() is { Length: > 0 } error)
        {
            throw new CliException(error);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string command, IEnumerable<string> arguments, IEnumerable<(string Name, string Value)>? options, HttpContent? body, CancellationToken cancellationToken)
    {
        var query = string.Join('&', arguments.Select(a => "arg=" + Uri.EscapeDataString(a))
            .Concat((options ?? []).Select(o => Uri.EscapeDataString(o.Name) + "=" + Uri.EscapeDataString(o.Value))));
        using var request = new HttpRequestMessage(HttpMethod.Post, query.Length == 0 ? command : $"{command}?{query}") { Content = body };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            throw new CliException(NeedsDaemonMessage);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the daemon's API at {EndPoint}: {e.Message}");
        }
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return response;
        }
        using (response)
        {
            throw new CliException(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBytes];
        var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(buffer, 0, length).Trim();
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("Message", out var message))
            {
                return message.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
        }
        return $"the daemon answered {(int)response.StatusCode}: {text.Split('\n')[0]}";
    }

    public void Dispose() => _http.Dispose();
}
