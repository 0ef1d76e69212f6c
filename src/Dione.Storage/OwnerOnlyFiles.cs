namespace Dione.Storage;

/// <summary>
/// Keeps a database's files private to the user who owns them: identity seeds, prekeys and ratchet states live in
/// the same file as everything else, and the process's umask would otherwise leave them readable by every user.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The files SQLite keeps beside a database in WAL mode; it creates them with the database's own mode.</summary>
    private static readonly string[] Companions = ["-wal", "-shm", "-journal"];

    /// <summary>
    /// Creates <paramref name="databasePath"/> empty with mode 0600 when it does not exist yet (SQLite then gives its
    /// WAL and shared-memory files the same mode), and takes group and other access away from the database and its
    /// companions when an older build left them readable.
    /// </summary>
    public static void Prepare(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // ACLs, not modes: a user's profile folder is already private there.
        }
        try
        {
            using (new FileStream(databasePath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite }))
            {
            }
        }
        catch (IOException) when (File.Exists(databasePath))
        {
            // Already there (or created by another store a moment ago): only its mode is checked below.
        }
        foreach (var path in Companions.Select(suffix => databasePath + suffix).Prepend(databasePath))
        {
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerReadWrite) != 0)
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) & OwnerReadWrite);
            }
        }
    }
}
