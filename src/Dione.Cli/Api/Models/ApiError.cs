namespace Dione.Cli.Api.Models;

/// <summary>
/// An error as kubo's RPC sends it: <c>{"Message":…,"Code":0,"Type":"error"}</c>. Code 0 is a server-side failure
/// (HTTP 500), code 1 a bad request (HTTP 400).
/// </summary>
public sealed record ApiError(string Message, int Code)
{
    public string Type => "error";
}
