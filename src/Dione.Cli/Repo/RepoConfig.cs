using System.Text.Json.Serialization;
using Dione.Messenger.Conversations;

namespace Dione.Cli.Repo;

/// <summary>The repo's <c>config</c> file, shaped like kubo's.</summary>
public sealed class RepoConfig
{
    public IdentityConfig Identity { get; set; } = new();

    public AddressesConfig Addresses { get; set; } = new();

    public List<string> Bootstrap { get; set; } = [];

    /// <summary>Messaging settings; absent in a config written before they existed, then the defaults apply.</summary>
    public MessengerConfig Messenger { get; set; } = new();

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

    public sealed class MessengerConfig
    {
        /// <summary>Sessions others started that may wait unanswered before a stranger's first message is refused (<c>--max-unanswered-sessions</c>).</summary>
        public int MaxUnansweredSessions { get; set; } = MessengerOptions.DefaultMaxUnansweredSessions;
    }
}
