namespace Dione.Cli.Repo;

/// <summary>
/// The repo's lock, as kubo's <c>repo.lock</c>: an exclusive OS lock on <c>&lt;repo&gt;/repo.lock</c>, held by the one
/// process that may write the repo (the daemon for its whole life, or a command for the moment it writes). A
/// <see cref="FileStream"/> opened with <see cref="FileShare.None"/> takes <c>flock(LOCK_EX)</c> on Linux and macOS
/// (a sharing mode on Windows); the kernel drops it when the process ends in any way, <c>kill -9</c> included, so a
/// crash leaves the file behind but never the lock.
/// </summary>
public sealed class RepoLock : IDisposable
{
    public const string FileName = "repo.lock";

    /// <summary>The switch (and its environment variable) by which .NET skips <c>flock</c>; the lock would guard nothing.</summary>
    private const string DisableLockingSwitch = "System.IO.DisableFileLocking";
    private const string DisableLockingVariable = "DOTNET_SYSTEM_IO_DISABLEFILELOCKING";

    private readonly FileStream _file;

    private RepoLock(FileStream file) => _file = file;

    public static string PathIn(string repoPath) => Path.Combine(repoPath, FileName);

    /// <summary>The lock, or null when another process (or another handle in this one) holds it.</summary>
    /// <exception cref="CliException">the lock file cannot be opened, or .NET's file locking is turned off.</exception>
    public static RepoLock? TryAcquire(string repoPath)
    {
        EnsureLockingIsOn();
        var path = PathIn(repoPath);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            return new RepoLock(new FileStream(path, options));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or PathTooLongException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot open the repo lock {path}: {e.Message}");
        }
        catch (IOException)
        {
            // The lock is taken (EWOULDBLOCK from flock; a sharing violation on Windows).
            return null;
        }
    }

    /// <summary>Releases the lock. The file stays: deleting it would let a process that opened it before the deletion
    /// lock a file nobody else sees, and two processes would both think they hold the lock.</summary>
    public void Dispose() => _file.Dispose();

    private static void EnsureLockingIsOn()
    {
        var variable = Environment.GetEnvironmentVariable(DisableLockingVariable);
        if ((AppContext.TryGetSwitch(DisableLockingSwitch, out var disabled) && disabled)
            || variable == "1" || string.Equals(variable, "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"file locking is turned off ({DisableLockingVariable}): dione cannot keep a second process from writing the repo");
        }
    }
}
