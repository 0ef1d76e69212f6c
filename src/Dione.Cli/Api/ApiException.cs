namespace Dione.Cli.Api;

/// <summary>A command failure the API reports in kubo's error shape: HTTP 500 (code 0), or 400 (code 1) for a bad request.</summary>
public sealed class ApiException(string message, bool badRequest = false) : Exception(message)
{
    public bool BadRequest { get; } = badRequest;

    public static ApiException Client(string message) => new(message, badRequest: true);
}
