namespace Dione.Libp2p.Identity;

/// <summary>libp2p key types, numbered as in the libp2p key protobuf (specs/peer-ids).</summary>
public enum KeyType
{
    Rsa = 0,
    Ed25519 = 1,
    Secp256k1 = 2,
    Ecdsa = 3,
}
