using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dione.Cli.Api.Models;
using Dione.Cli.Repo;

namespace Dione.Cli.Api;

/// <summary>
/// Talks to a running daemon's API: finds it through <c>&lt;repo&gt;/api</c>, authenticates with
/// <c>&lt;repo&gt;/api.token</c>, and turns replies and kubo-shaped errors into values or one-line
/// <see cref="CliException"/>s.
/// </summary>
/// <remarks>
/// A client exists whenever the address file does, with or without a token: a daemon whose token file is gone still
/// runs (and still holds the repo), and the first request says what is wrong rather than claiming no daemon runs.
/// </remarks>
public sealed class ApiClient : IDisposable
{
    public const int MaxReplyBytes = 16 * 1024 * 1024;
    public const int MaxLineBytes = 1024 * 1024;
    public const int MaxErrorBytes = 64 * 1024;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly string _repoPath;
    private readonly bool _hasToken;

    private ApiClient(IPEndPoint endPoint, string? token, string repoPath)
    {
        EndPoint = endPoint;
        _repoPath = repoPath;
        _hasToken = token is not null;
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5), AllowAutoRedirect = false };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{endPoint}{ApiRoutes.Prefix}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The error for a command run while no daemon runs on the repo, saying how to start one there.</summary>
    public static string NeedsDaemonMessage(string repoPath) =>
        $"this command needs a running daemon (start it with '{RepoCommandHint.For(repoPath, "daemon")}')";

    /// <summary>
    /// A client for the daemon the repo's address file names, or null when there is none (no daemon running). The
    /// token is read now; when it is missing or unreadable the client's requests say so.
    /// </summary>
    public static ApiClient? TryOpen(string repoPath) =>
        ApiRepoFiles.ReadEndPoint(repoPath) is { } endPoint ? new ApiClient(endPoint, ApiRepoFiles.ReadToken(repoPath), repoPath) : null;

    /// <exception cref="CliException">no daemon runs on the repo.</exception>
    public static ApiClient Open(string repoPath) => TryOpen(repoPath) ?? throw new CliException(NeedsDaemonMessage(repoPath));

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

    /// <summary>Runs a command that answers one JSON value, read as <typeparamref name="T"/>.</summary>
    /// <exception cref="CliException">the daemon refused the command, or its reply is not a <typeparamref name="T"/>.</exception>
    public async Task<T> PostAsync<T>(string command, IEnumerable<string> arguments, IEnumerable<(string Name, string Value)>? options = null, HttpContent? body = null, CancellationToken cancellationToken = default)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendAsync(command, arguments, options, body, timeout.Token).ConfigureAwait(false);
        await using var stream = new LineLimitedStream(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), MaxReplyBytes);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, ApiJson.TypeInfo<T>(), timeout.Token).ConfigureAwait(false)
                ?? throw new JsonException("the reply is null");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw UnexpectedReply(command, e);
        }
    }

    /// <summary>
    /// Runs a command that streams JSON values (newline-delimited), each read as <typeparamref name="T"/>; an error
    /// the daemon reports after the first value is thrown at the end. The whole stream must end within
    /// <see cref="RequestTimeout"/> unless <paramref name="endless"/> (a stream that follows events until the caller cancels).
    /// </summary>
    /// <exception cref="CliException">the daemon refused the command or reported an error, or a value is not a <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<T> StreamAsync<T>(string command, IEnumerable<string> arguments, IEnumerable<(string Name, string Value)>? options = null, HttpContent? body = null, bool endless = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!endless)
        {
            timeout.CancelAfter(RequestTimeout);
        }
        using var response = await SendAsync(command, arguments, options, body, timeout.Token).ConfigureAwait(false);
        await using var stream = new LineLimitedStream(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), MaxLineBytes);
        await using var values = JsonSerializer.DeserializeAsyncEnumerable(stream, ApiJson.TypeInfo<T>(), topLevelValues: true, timeout.Token)
            .GetAsyncEnumerator(timeout.Token);
        while (true)
        {
            T? value;
            try
            {
                // C# allows no yield inside a try with a catch: the value is taken here and yielded below.
                if (!await values.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
                value = values.Current ?? throw new JsonException("a value is null");
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                throw UnexpectedReply(command, e);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // The reply ended in the middle (HttpIOException among others): the daemon stopped, or died.
                throw new CliException($"the daemon stopped answering in the middle of {command} (it was stopped, or it failed)");
            }
            yield return value;
        }
        if (response.TrailingHeaders.TryGetValues(ApiResponse.StreamErrorTrailer, out var errors) && errors.FirstOrDefault() is { Length: > 0 } error)
        {
            throw new CliException(error);
        }
    }

    /// <summary>Runs a command that answers no value (kubo's <c>shutdown</c>).</summary>
    /// <exception cref="CliException">the daemon refused the command.</exception>
    public async Task RunAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendAsync(command, arguments, null, null, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>One line that says which reply did not fit and why (a daemon of another version, most likely).</summary>
    private static CliException UnexpectedReply(string command, Exception e)
    {
        var reason = string.Join(' ', e.Message.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        return new CliException($"the daemon's reply to {command} is not what this dione expects (a daemon of another version?): {reason}");
    }

    private async Task<HttpResponseMessage> SendAsync(string command, IEnumerable<string> arguments, IEnumerable<(string Name, string Value)>? options, HttpContent? body, CancellationToken cancellationToken)
    {
        if (!_hasToken)
        {
            throw new CliException($"the daemon's API token {Path.Combine(_repoPath, ApiRepoFiles.TokenFileName)} is missing or unreadable; restart the daemon");
        }
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
            throw new CliException(NeedsDaemonMessage(_repoPath));
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
            if (JsonSerializer.Deserialize(text, ApiJson.TypeInfo<ApiError>()) is { } error)
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not kubo's error shape (a proxy's page, say): the status line below says what there is.
        }
        return $"the daemon answered {(int)response.StatusCode}: {text.Split('\n')[0]}";
    }

    public void Dispose() => _http.Dispose();
}
