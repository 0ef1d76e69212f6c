using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Tests;

/// <summary>
/// <c>--json</c> output and API replies carry text as it is: '+' in base64, letters such as ë and emoji outside the
/// Basic Multilingual Plane as UTF-8, never as <c>\uXXXX</c>.
/// </summary>
[Collection(CliInteropCollection.Name)]
public sealed class JsonOutputCliTests : IDisposable
{
    private const string Name = "Zoë 🙂";
    private readonly string _root = Directory.CreateTempSubdirectory("dione-json-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Json_from_the_cli_and_the_api_leaves_plus_accents_and_emoji_unescaped()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "plus");
        var publicKey = await GiveKeyWithPlusAsync(repo);
        var offline = await DioneProcess.RunAsync(null, "id", "--json", "--repo", repo);
        var contactRepo = await ApiTestDaemon.InitRepoAsync(_root, "contact");
        var contactAddress = (await DioneProcess.RunAsync(null, "address", "--repo", contactRepo)).Stdout.Trim();
        await using var daemon = await ApiTestDaemon.StartOnRepoAsync(repo);
        using var http = daemon.HttpClient();

        var added = await daemon.RunAsync("contact", "add", Name, contactAddress);
        var listed = await daemon.RunAsync("contact", "list", "--json");
        var online = await daemon.RunAsync("id", "--json");
        using var listReply = await http.PostAsync("dione/contact/list", null);
        using var idReply = await http.PostAsync("id", null);
        var listBytes = await listReply.Content.ReadAsByteArrayAsync();
        var idBytes = await idReply.Content.ReadAsByteArrayAsync();

        Assert.True(offline.ExitCode == 0, offline.Stderr);
        Assert.Contains($"\"PublicKey\": \"{publicKey}\"", offline.Stdout, StringComparison.Ordinal);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Contains($"\"Name\":\"{Name}\"", listed.Stdout, StringComparison.Ordinal);
        Assert.Equal(Name, JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("Contacts")[0].GetProperty("Name").GetString());
        Assert.True(online.ExitCode == 0, online.Stderr);
        Assert.Contains($"\"PublicKey\": \"{publicKey}\"", online.Stdout, StringComparison.Ordinal);
        Assert.All(new[] { offline.Stdout, listed.Stdout, online.Stdout }, output => Assert.DoesNotContain("\\u", output, StringComparison.Ordinal));
        Assert.True(listBytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"Name\":\"{Name}\"")) >= 0, Encoding.UTF8.GetString(listBytes));
        Assert.True(idBytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"PublicKey\":\"{publicKey}\"")) >= 0, Encoding.UTF8.GetString(idBytes));
    }

    /// <summary>Replaces the repo's key by one whose public key's base64 has a '+', and returns that base64.</summary>
    private static async Task<string> GiveKeyWithPlusAsync(string repo)
    {
        PrivateKey key;
        do
        {
            key = PrivateKey.Generate();
        }
        while (!Convert.ToBase64String(key.PublicKey.ToProtobuf()).Contains('+', StringComparison.Ordinal));
        await File.WriteAllBytesAsync(Path.Combine(repo, "identity.key"), key.ToProtobuf());
        var configPath = Path.Combine(repo, "config");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!;
        config["Identity"]!["PeerID"] = PeerId.FromPublicKey(key.PublicKey).ToString();
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        return Convert.ToBase64String(key.PublicKey.ToProtobuf());
    }
}
