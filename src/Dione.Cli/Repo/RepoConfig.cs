using System.Text.Json.Serialization;

namespace Dione.Cli.Repo;

/// <summary>The repo's <c>config</c> file, shaped like kubo's.</summary>
public sealed class RepoConfig
{
    public IdentityConfig Identity { get; set; } = new();

    public AddressesConfig Addresses { get; set; } = new();

    public List<string> Bootstrap { get; set; } = [];

    public sealed class IdentityConfig
    {
        [JsonPropertyName("PeerID")]
        public string PeerId { get; set; } = "";

        /// <summary>The key type, for the user's information; the key itself is in the key file.</summary>
        public string KeyType { get; set; } = "";
    }

    public sealed class AddressesConfig
    {
        public List<string> Swarm { get; set; } = [];

        [JsonPropertyName("API")]
        public string Api { get; set; } = "/ip4/127.0.0.1/tcp/5101";
    }
}
