using System.Text;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;

namespace Dione.Cli.Commands;

/// <summary>Turns the keys and CIDs users type into the bytes the DHT uses.</summary>
public static class RoutingKeys
{
    /// <summary><c>/pk/PEER</c> and <c>/ipns/PEER</c> become the namespace followed by the binary peer id, as kubo does.</summary>
    public static byte[] ParseRecordKey(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 3 || parts[0].Length != 0 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new CliException($"invalid key '{text}': expected /NAMESPACE/NAME, e.g. /pk/12D3KooW…");
        }
        if (parts[1] is "pk" or "ipns")
        {
            if (!PeerId.TryParse(parts[2], out var peer))
            {
                throw new CliException($"invalid key '{text}': '{parts[2]}' is not a peer id");
            }
            return [.. Encoding.UTF8.GetBytes($"/{parts[1]}/"), .. peer!.Bytes];
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The provider key of a CID: its multihash, as go and js use.</summary>
    public static byte[] ParseCid(string text)
    {
        try
        {
            return Cid.Parse(text).Multihash.ToBytes();
        }
        catch (FormatException e)
        {
            throw new CliException($"invalid CID '{text}': {e.Message}");
        }
    }

    public static PeerId ParsePeer(string text) =>
        PeerId.TryParse(text, out var peer) ? peer! : throw new CliException($"invalid peer id '{text}'");
}
