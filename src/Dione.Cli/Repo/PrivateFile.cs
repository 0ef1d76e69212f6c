using System.Security.Cryptography;

namespace Dione.Cli.Repo;

/// <summary>
/// Writes secret bytes (a key file, <c>identity.key</c>) readable by the owner only (0600 from creation) and atomically:
/// a temporary file beside the target is written and fsync'd, then renamed over it, so a crash leaves the old file
/// or the new one, never half of one.
/// </summary>
public static class PrivateFile
{
    /// <exception cref="CliException">
    /// <paramref name="path"/> exists and <paramref name="overwrite"/> is false, or it cannot be written.
    /// </exception>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && (File.Exists(full) || Directory.Exists(full)))
        {
            throw new CliException($"{path} already exists; pass --force to overwrite it");
        }
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var file = new FileStream(temporary, options))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            // Without overwrite the move fails rather than replace a file made since the check above.
            File.Move(temporary, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
            throw new CliException(!overwrite && File.Exists(full)
                ? $"{path} already exists; pass --force to overwrite it"
                : $"cannot write {path}: {e.Message}");
        }
    }
}
