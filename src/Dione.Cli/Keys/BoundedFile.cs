namespace Dione.Cli.Keys;

/// <summary>
/// Reads a small file whole, but never more than a bound: a key file or passphrase file named by mistake (a disk image,
/// <c>/dev/zero</c>) is refused, not read into memory. Works for pipes too (<c>--passphrase-file &lt;(pass show x)</c>),
/// whose length is not known in advance.
/// </summary>
public static class BoundedFile
{
    /// <exception cref="CliException">the file is larger than <paramref name="maxLength"/> bytes, or cannot be read.</exception>
    public static byte[] Read(string path, int maxLength, string what)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            var buffer = new byte[maxLength + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
            if (length > maxLength)
            {
                throw new CliException($"the {what} {path} is larger than {maxLength} bytes");
            }
            return buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the {what} {path}: {e.Message}");
        }
    }
}
