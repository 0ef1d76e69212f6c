using System.Diagnostics;
using Dione.Cli.Api;
using Dione.Cli.Repo;

namespace Dione.Cli.Commands;

/// <summary>
/// How a command that writes the repo gets to it. A daemon holds the <see cref="RepoLock"/> for its whole life; a
/// command takes it for the moment it writes, or, while a daemon holds it, goes through the daemon's API or refuses:
/// nothing writes the repo's database or config behind a daemon's back.
/// </summary>
public static class RepoAccess
{
    /// <summary>
    /// How long a command waits while the lock is taken and no daemon's API answers: a daemon that is starting (its
    /// API not up yet), or another command writing the repo for a moment.
    /// </summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The repo lock, or a client for the daemon that holds it, whichever comes first.</summary>
    /// <exception cref="CliException">neither within <see cref="WaitLimit"/>.</exception>
    public static async Task<(RepoLock? Lock, ApiClient? Daemon)> LockOrDaemonAsync(string repoPath, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (RepoLock.TryAcquire(repoPath) is { } held)
            {
                return (held, null);
            }
            if (await ApiClient.ConnectAsync(repoPath, cancellationToken).ConfigureAwait(false) is { } daemon)
            {
                return (null, daemon);
            }
            if (waited.Elapsed >= WaitLimit)
            {
                throw new CliException($"cannot acquire lock {RepoLock.PathIn(repoPath)}: someone else has the lock "
                    + "(a dione daemon whose API does not answer, or another command writing the repo)");
            }
            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A client for the daemon that runs on the repo, for a command that works only through the daemon's API. A daemon
    /// that is starting (the lock held, the API not up yet) is waited for as <see cref="LockOrDaemonAsync"/> waits.
    /// </summary>
    /// <exception cref="CliException">there is no repo, no daemon runs on it (the lock is free), or none answered within <see cref="WaitLimit"/>.</exception>
    public static async Task<ApiClient> DaemonAsync(string repoPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(repoPath, DioneRepo.ConfigFileName)))
        {
            throw new CliException(DioneRepo.NoRepoMessage(repoPath));
        }
        return await TryDaemonAsync(repoPath, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ApiClient.NeedsDaemonMessage(repoPath));
    }

    /// <summary>
    /// A client for the daemon that runs on the repo, waiting for one that is starting, or null when no daemon runs
    /// (no repo, or its lock is free): for a command that can also work without the daemon.
    /// </summary>
    /// <exception cref="CliException">the lock stayed taken for <see cref="WaitLimit"/> with no API answering.</exception>
    public static async Task<ApiClient?> TryDaemonAsync(string repoPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(repoPath, DioneRepo.ConfigFileName)))
        {
            return null;
        }
        // The lock only tells whether a daemon runs; it is released at once (nothing is written).
        var (held, daemon) = await LockOrDaemonAsync(repoPath, cancellationToken).ConfigureAwait(false);
        held?.Dispose();
        return daemon;
    }

    /// <summary>The repo lock, for a command that writes the repo itself and has no API equivalent.</summary>
    /// <exception cref="CliException">a daemon runs on the repo, or the lock stayed taken for <see cref="WaitLimit"/>.</exception>
    public static async Task<RepoLock> LockAsync(string repoPath, CancellationToken cancellationToken)
    {
        var (held, daemon) = await LockOrDaemonAsync(repoPath, cancellationToken).ConfigureAwait(false);
        if (daemon is not null)
        {
            daemon.Dispose();
            throw new CliException($"a dione daemon is running on the repo {repoPath}; stop it to run this command");
        }
        return held!;
    }

    /// <summary>The repo, read under its lock (so a change another command made meanwhile is not overwritten), and the lock.</summary>
    /// <exception cref="CliException">there is no repo, a daemon runs on it, or the lock stayed taken.</exception>
    public static async Task<(DioneRepo Repo, RepoLock Lock)> OpenForWritingAsync(string repoPath, CancellationToken cancellationToken)
    {
        DioneRepo.Open(repoPath); // "no dione repo …; run 'dione init' first" before any lock file is made
        var held = await LockAsync(repoPath, cancellationToken).ConfigureAwait(false);
        try
        {
            return (DioneRepo.Open(repoPath), held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }
}
