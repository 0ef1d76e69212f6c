namespace Dione.Cli.Repo;

/// <summary>
/// A dione command an error suggests, for the repo the failing command used: with <c>--repo PATH</c> unless that repo
/// is the one dione finds without the option (<c>$DIONE_PATH</c>, else <c>~/.dione</c>), so that the suggestion,
/// pasted as it is, acts on the same repo.
/// </summary>
public static class RepoCommandHint
{
    /// <param name="repoPath">The repo's full path, as <see cref="DioneRepo.ResolvePath"/> gives it.</param>
    /// <param name="command">The command and its arguments after <c>dione</c>, e.g. <c>daemon</c>.</param>
    public static string For(string repoPath, string command) =>
        repoPath == DioneRepo.ResolvePath(null) ? $"dione {command}" : $"dione {command} --repo {ShellWord(repoPath)}";

    /// <summary>The path as one shell word: as it is when a shell would neither split nor expand it, else double-quoted.</summary>
    private static string ShellWord(string path)
    {
        if (path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c)))
        {
            return path;
        }
        var escaped = new System.Text.StringBuilder("\"");
        foreach (var c in path)
        {
            // Inside double quotes a shell still gives these four a meaning.
            escaped.Append(c is '"' or '\\' or '$' or '`' ? "\\" + c : c.ToString());
        }
        return escaped.Append('"').ToString();
    }
}
