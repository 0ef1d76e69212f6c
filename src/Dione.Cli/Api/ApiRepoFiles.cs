using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Api;

/// <summary>
/// The files by which a running daemon tells clients where its API is, as kubo does: <c>&lt;repo&gt;/api</c> holds the
/// bound multiaddr, <c>&lt;repo&gt;/api.token</c> the bearer token (readable by the owner only). Both are removed when
/// the daemon stops.
/// </summary>
public static class ApiRepoFiles
{
    public const string AddressFileName = "api";
    public const string TokenFileName = "api.token";
    private const int MaxFileBytes = 1024;

    /// <summary>Writes a fresh random token, replacing any old file, with mode 0600 from the moment it exists.</summary>
    public static string WriteToken(string repoPath)
    {
        var path = Path.Combine(repoPath, TokenFileName);
        File.Delete(path);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(path, options))
        {
            file.Write(Encoding.ASCII.GetBytes(token));
        }
        return token;
    }

    /// <summary>Writes the bound address atomically (a temporary file renamed over the old one).</summary>
    public static void WriteAddress(string repoPath, Multiaddress address)
    {
        var path = Path.Combine(repoPath, AddressFileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, address.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    public static void Remove(string repoPath)
    {
        File.Delete(Path.Combine(repoPath, AddressFileName));
        File.Delete(Path.Combine(repoPath, TokenFileName));
    }

    /// <summary>The API endpoint the address file names, or null when there is no file.</summary>
    /// <exception cref="CliException">the file exists but does not hold a TCP multiaddr.</exception>
    public static IPEndPoint? ReadEndPoint(string repoPath)
    {
        var text = ReadSmall(Path.Combine(repoPath, AddressFileName));
        if (text is null)
        {
            return null;
        }
        return Multiaddress.TryParse(text.Trim(), out var address) && address!.ToTcpEndPoint() is { } endPoint
            ? endPoint
            : throw new CliException($"the daemon's API file {Path.Combine(repoPath, AddressFileName)} does not hold a TCP multiaddr");
    }

    /// <summary>The token, or null when the file is missing, unreadable or empty: no request can be authenticated then.</summary>
    public static string? ReadToken(string repoPath)
    {
        try
        {
            return ReadSmall(Path.Combine(repoPath, TokenFileName))?.Trim() is { Length: > 0 } token ? token : null;
        }
        catch (CliException)
        {
            // Unreadable (permissions, a directory in its place, too large): the client says the token is unusable.
            return null;
        }
    }

    private static string? ReadSmall(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[MaxFileBytes];
            var length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length == MaxFileBytes)
            {
                throw new CliException($"{path} is larger than {MaxFileBytes} bytes");
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}");
        }
    }
}
