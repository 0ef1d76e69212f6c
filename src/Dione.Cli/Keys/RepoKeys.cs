using System.Security.Cryptography;
using Dione.Cli.Protos;
using Dione.Libp2p.Identity;
using Dione.Messaging.Identity;
using Google.Protobuf;

namespace Dione.Cli.Keys;

/// <summary>The two identities of a repo that a key file carries: the node's libp2p key and the Dione messaging identity.</summary>
public sealed record RepoKeys(PrivateKey Node, DioneIdentity Dione)
{
    public PeerId PeerId => PeerId.FromPublicKey(Node.PublicKey);

    public string DioneAddress => Dione.PublicKey.ToAddress();

    public RepoIdentities ToProtobuf()
    {
        var seed = Dione.ExportSeed();
        try
        {
            return new RepoIdentities { NodePrivateKey = ByteString.CopyFrom(Node.ToProtobuf()), DioneIdentitySeed = ByteString.CopyFrom(seed) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <exception cref="KeyFileException">either identity is missing or is not a valid key.</exception>
    public static RepoKeys FromProtobuf(RepoIdentities identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        PrivateKey node;
        try
        {
            node = PrivateKey.FromProtobuf(identities.NodePrivateKey.Span);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or CryptographicException)
        {
            throw new KeyFileException($"the key file holds no valid node identity: {e.Message}");
        }
        if (identities.DioneIdentitySeed.Length != 32)
        {
            throw new KeyFileException("the key file holds no valid Dione identity (its seed is not 32 bytes)");
        }
        return new RepoKeys(node, DioneIdentity.FromSeed(identities.DioneIdentitySeed.Span));
    }
}
