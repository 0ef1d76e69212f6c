using System.Text.Json;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Repo;

/// <summary>
/// A node's directory: <c>config</c> (JSON, kubo's shape) and <c>identity.key</c> (the libp2p private key protobuf,
/// readable by the owner only); writers take its <see cref="RepoLock"/> first. Chosen by <c>--repo</c>, else
/// <c>DIONE_PATH</c>, else <c>~/.dione</c>.
/// </summary>
public sealed class DioneRepo
{
    public const string EnvironmentVariable = "DIONE_PATH";
    public const string ConfigFileName = "config";
    public const string KeyFileName = "identity.key";

    /// <summary>Swarm addresses a new repo listens on (kubo uses 4001; Dione's default is 4101 to live beside it).</summary>
    public static readonly string[] DefaultSwarmAddresses = ["/ip4/0.0.0.0/tcp/4101", "/ip6/::/tcp/4101"];

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private DioneRepo(string path, RepoConfig config, PrivateKey identity)
    {
        Path = path;
        Config = config;
        Identity = identity;
    }

    public string Path { get; }

    public RepoConfig Config { get; }

    public PrivateKey Identity { get; }

    public static string ResolvePath(string? repoOption)
    {
        if (!string.IsNullOrEmpty(repoOption))
        {
            return System.IO.Path.GetFullPath(repoOption);
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Path.GetFullPath(fromEnvironment);
        }
        return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dione");
    }

    /// <summary>Throws when <paramref name="path"/> already holds a repo.</summary>
    public static void EnsureAbsent(string path)
    {
        var configPath = System.IO.Path.Combine(path, ConfigFileName);
        if (File.Exists(configPath))
        {
            throw new CliException($"dione configuration file already exists at {configPath}; reinitializing would overwrite your keys");
        }
    }

    public static DioneRepo Init(string path, KeyType keyType) => Init(path, PrivateKey.Generate(keyType));

    /// <summary>A new repo whose node identity is <paramref name="identity"/> (a generated one, or one restored from a key file).</summary>
    public static DioneRepo Init(string path, PrivateKey identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        EnsureAbsent(path);
        var configPath = System.IO.Path.Combine(path, ConfigFileName);
        var config = new RepoConfig
        {
            Identity = { PeerId = PeerId.FromPublicKey(identity.PublicKey).ToString(), KeyType = KeyTypeName(identity) },
            Addresses = { Swarm = [.. DefaultSwarmAddresses] },
            Bootstrap = [.. Dione.Kademlia.Bootstrap.BootstrapPeers.DefaultText],
        };
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        WritePrivate(System.IO.Path.Combine(path, KeyFileName), identity.ToProtobuf());
        File.WriteAllText(configPath, JsonSerializer.Serialize(config, JsonOptions));
        return new DioneRepo(path, config, identity);
    }

    public static DioneRepo Open(string path)
    {
        var configPath = System.IO.Path.Combine(path, ConfigFileName);
        if (!File.Exists(configPath))
        {
            throw new CliException(NoRepoMessage(path));
        }
        RepoConfig config;
        PrivateKey identity;
        try
        {
            config = JsonSerializer.Deserialize<RepoConfig>(File.ReadAllText(configPath))
                ?? throw new CliException($"config file {configPath} is empty");
            identity = PrivateKey.FromProtobuf(File.ReadAllBytes(System.IO.Path.Combine(path, KeyFileName)));
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or IOException)
        {
            throw new CliException($"cannot read the repo at {path}: {e.Message}");
        }
        var peerId = PeerId.FromPublicKey(identity.PublicKey).ToString();
        if (config.Identity.PeerId != peerId)
        {
            throw new CliException($"config says peer {config.Identity.PeerId} but the key file holds {peerId}");
        }
        return new DioneRepo(path, config, identity);
    }

    /// <summary>The error for a command that needs a repo where there is none, saying how to make one there.</summary>
    public static string NoRepoMessage(string path) => $"no dione repo at {path}; run '{RepoCommandHint.For(path, "init")}' first";

    /// <summary>The node's SQLite database (DHT records and providers).</summary>
    public string DatabasePath => DatabasePathIn(Path);

    /// <summary>Where the database of the repo at <paramref name="repoPath"/> is, before the repo exists (an import fills it first).</summary>
    public static string DatabasePathIn(string repoPath) => System.IO.Path.Combine(repoPath, "datastore.db");

    /// <summary>Writes the config back, atomically (a temporary file renamed over the old one).</summary>
    public void SaveConfig()
    {
        var configPath = System.IO.Path.Combine(Path, ConfigFileName);
        var temporary = configPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(Config, JsonOptions));
        File.Move(temporary, configPath, overwrite: true);
    }

    /// <summary>
    /// Replaces the node identity: <c>identity.key</c> (atomically, owner-only) and the config's peer id. Call it under
    /// the repo lock; the old key is gone for good.
    /// </summary>
    public DioneRepo ReplaceIdentity(PrivateKey identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        PrivateFile.WriteAtomically(System.IO.Path.Combine(Path, KeyFileName), identity.ToProtobuf(), overwrite: true);
        Config.Identity.PeerId = PeerId.FromPublicKey(identity.PublicKey).ToString();
        Config.Identity.KeyType = KeyTypeName(identity);
        SaveConfig();
        return new DioneRepo(Path, Config, identity);
    }

    private static string KeyTypeName(PrivateKey identity) => identity.Type.ToString().ToLowerInvariant();

    private static void WritePrivate(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        file.Write(bytes);
    }
}
