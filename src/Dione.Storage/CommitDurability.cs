namespace Dione.Storage;

/// <summary>What a committed transaction survives (the file is always in WAL mode, so a crash never corrupts it).</summary>
public enum CommitDurability
{
    /// <summary>
    /// <c>synchronous = NORMAL</c>: a commit is written to the WAL and fsync'd only at checkpoints, so a power cut may
    /// undo the last commits (a process crash does not). Enough for caches and data others hold copies of.
    /// </summary>
    Normal,

    /// <summary>
    /// <c>synchronous = FULL</c>: every commit is fsync'd before it returns, so it survives a power cut. For state that
    /// must never go back, such as a ratchet state whose envelope is about to leave the node.
    /// </summary>
    Synced,
}
