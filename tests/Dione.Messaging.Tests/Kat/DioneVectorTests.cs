using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Kat;

/// <summary>
/// Dione's own fixed vectors (Vectors/dione-x3dh-v1.json): every derivation of X3DH, the address string, the prekey
/// signatures, the key confirmation, the intro seal and the intro addresses, recomputed from the fixed inputs in the file.
/// The values were cross-checked with an independent implementation (Vectors/check_dione_vectors.py, pyca/cryptography).
/// Set DIONE_VECTORS_OUT to a path to write what this code computes (to regenerate the file after a deliberate change).
/// </summary>
public class DioneVectorTests
{
    private const string FileName = "dione-x3dh-v1.json";

    [Fact]
    public void Every_dione_derivation_matches_the_committed_vectors()
    {
        var expected = VectorFile.Load(FileName);
        var actual = Compute(expected["inputs"]!.AsObject());
        var output = Environment.GetEnvironmentVariable("DIONE_VECTORS_OUT");
        if (!string.IsNullOrEmpty(output))
        {
            File.WriteAllText(output, actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }
        var expectedValues = Flatten(expected, "");
        var actualValues = Flatten(actual, "");
        foreach (var (path, value) in actualValues)
        {
            Assert.True(expectedValues.TryGetValue(path, out var committed), $"{path} is missing from {FileName}");
            Assert.True(committed == value, $"{path}: committed {committed}, computed {value}");
        }
        Assert.Equal(expectedValues.Keys.Order(), actualValues.Keys.Order());
    }

    private static JsonObject Compute(JsonObject inputs)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(inputs["time_unix_seconds"]!.GetValue<long>());
        var alice = DioneIdentity.FromSeed(inputs.Hex("alice_identity_seed"));
        var bob = DioneIdentity.FromSeed(inputs.Hex("bob_identity_seed"));
        var signedPrekey = X25519KeyPair.FromPrivateKey(inputs.Hex("bob_signed_prekey_private"));
        var oneTimePrekey = X25519KeyPair.FromPrivateKey(inputs.Hex("bob_one_time_prekey_private"));
        var store = PrekeyStore.Create(bob, now, signedPrekey);
        store.AddOneTimePrekeys(bob, [oneTimePrekey]);
        var spk = store.CurrentSignedPrekey;
        var opk = store.FindOneTimePrekey(1)!;
        var createdSeconds = (ulong)spk.CreatedAt.ToUnixTimeSeconds();

        var result = new JsonObject
        {
            ["description"] = "Dione X3DH v1 vectors: identities and addresses, prekey signatures, bundle, two sessions (with and without a one-time prekey: DH values, AD, KDF output, key confirmation, initial data, intro seal) and intro addresses. All byte strings are hex; see docs/protocol.md §1.",
            ["inputs"] = inputs.DeepClone(),
            ["identities"] = new JsonObject
            {
                ["alice_ed25519_public"] = Hex(alice.PublicKey.Ed25519PublicKey),
                ["alice_x25519_public"] = Hex(alice.PublicKey.X25519PublicKey),
                ["alice_encoded"] = Hex(alice.PublicKey.Encode()),
                ["alice_address"] = alice.PublicKey.ToAddress(),
                ["bob_ed25519_public"] = Hex(bob.PublicKey.Ed25519PublicKey),
                ["bob_x25519_public"] = Hex(bob.PublicKey.X25519PublicKey),
                ["bob_encoded"] = Hex(bob.PublicKey.Encode()),
                ["bob_address"] = bob.PublicKey.ToAddress(),
            },
            ["prekeys"] = new JsonObject
            {
                ["signed_prekey_id"] = spk.Id,
                ["signed_prekey_public"] = Hex(spk.KeyPair.PublicKey),
                ["signed_prekey_signed_message"] = Hex(PrekeySignatures.SignedPrekeyMessage(spk.Id, createdSeconds, spk.KeyPair.PublicKey)),
                ["signed_prekey_signature"] = Hex(spk.Signature),
                ["one_time_prekey_id"] = opk.Id,
                ["one_time_prekey_public"] = Hex(opk.KeyPair.PublicKey),
                ["one_time_prekey_signed_message"] = Hex(PrekeySignatures.OneTimePrekeyMessage(opk.Id, opk.KeyPair.PublicKey)),
                ["one_time_prekey_signature"] = Hex(opk.Signature),
                ["bundle_protobuf"] = Hex(store.CreateBundle(1).ToByteArray()),
            },
            ["sessions"] = new JsonArray(
                Session(alice, bob, store, now, X25519KeyPair.FromPrivateKey(inputs.Hex("alice_ephemeral_private_with_one_time_prekey")), withOneTimePrekey: true),
                Session(alice, bob, store, now, X25519KeyPair.FromPrivateKey(inputs.Hex("alice_ephemeral_private_without_one_time_prekey")), withOneTimePrekey: false)),
            ["intro_addresses"] = IntroAddressVectors(bob.PublicKey, now),
        };
        return result;
    }

    private static JsonObject Session(DioneIdentity alice, DioneIdentity bob, PrekeyStore store, DateTimeOffset now, X25519KeyPair ephemeral, bool withOneTimePrekey)
    {
        var spk = store.CurrentSignedPrekey;
        var bundle = PrekeyBundleVerifier.Verify(store.CreateBundle(withOneTimePrekey ? 1 : null).ToByteArray(), bob.PublicKey, now);

        // The derivation step by step, from the documented formulas.
        var dh1 = alice.AgreementKeyPair.Agree(spk.KeyPair.PublicKey);
        var dh2 = ephemeral.Agree(bob.PublicKey.X25519PublicKey);
        var dh3 = ephemeral.Agree(spk.KeyPair.PublicKey);
        var dh = new List<byte[]> { dh1, dh2, dh3 };
        if (withOneTimePrekey)
        {
            dh.Add(ephemeral.Agree(store.FindOneTimePrekey(1)!.KeyPair.PublicKey));
        }
        byte[] ad = [.. alice.PublicKey.Encode(), .. bob.PublicKey.Encode()];
        var okm = X3dhKdf.Derive(dh, Encoding.ASCII.GetBytes("Dione_X3DH_v1"), 128);
        uint? oneTimeId = withOneTimePrekey ? 1 : null;
        var confirmation = X3dhConfirmation.Compute(okm[96..128], ad, ephemeral.PublicKey, spk.Id, oneTimeId);
        var keyAndNonce = IntroSeal.DeriveKeyAndNonce(dh2, dh3, ephemeral.PublicKey, bob.PublicKey, spk.KeyPair.PublicKey);

        // The library's composition must give exactly the same bytes, and the responder must accept them.
        var initiation = X3dhInitiator.Initiate(alice, bundle, ephemeral);
        var initialData = initiation.InitialData.ToByteArray();
        Assert.Equal(okm[..32], initiation.Secrets.RootKey);
        Assert.Equal(okm[32..64], initiation.Secrets.SharedHeaderKey);
        Assert.Equal(okm[64..96], initiation.Secrets.SharedNextHeaderKey);
        Assert.Equal(ad, initiation.Secrets.AssociatedData);
        Assert.Equal(confirmation, initiation.InitialData.Confirmation.ToByteArray());
        var ciphertext = new byte[initialData.Length];
        var tag = new byte[16];
        using (var aead = new ChaCha20Poly1305(keyAndNonce[..32]))
        {
            aead.Encrypt(keyAndNonce[32..44], initialData, ciphertext, tag);
        }
        byte[] sealedIntro = [.. ephemeral.PublicKey, .. ciphertext, .. tag];
        Assert.Equal(sealedIntro, initiation.SealedIntro.ToArray());
        var restored = PrekeyStore.FromBytes(store.ToBytes());
        X3dhAgreementAssert.SameSecrets(initiation.Secrets, X3dhResponder.AcceptIntro(bob, restored, sealedIntro).Secrets);

        var session = new JsonObject
        {
            ["name"] = withOneTimePrekey ? "with one-time prekey" : "without one-time prekey",
            ["alice_ephemeral_public"] = Hex(ephemeral.PublicKey),
            ["dh1"] = Hex(dh1),
            ["dh2"] = Hex(dh2),
            ["dh3"] = Hex(dh3),
        };
        if (withOneTimePrekey)
        {
            session["dh4"] = Hex(dh[3]);
        }
        session["associated_data"] = Hex(ad);
        session["kdf_output"] = Hex(okm);
        session["root_key"] = Hex(okm[..32]);
        session["shared_hka"] = Hex(okm[32..64]);
        session["shared_nhkb"] = Hex(okm[64..96]);
        session["confirmation_key"] = Hex(okm[96..128]);
        session["confirmation"] = Hex(confirmation);
        session["initial_data_protobuf"] = Hex(initialData);
        session["seal_key"] = Hex(keyAndNonce[..32]);
        session["seal_nonce"] = Hex(keyAndNonce[32..44]);
        session["sealed_intro"] = Hex(sealedIntro);
        return session;
    }

    private static JsonObject IntroAddressVectors(IdentityKey bob, DateTimeOffset now)
    {
        var addresses = new IntroAddresses();
        var period = addresses.PeriodAt(now);
        var list = new JsonArray();
        foreach (var (p, slot) in new[] { (period, (ushort)0), (period, (ushort)1), (period, (ushort)15), (period - 1, (ushort)0) })
        {
            list.Add(new JsonObject { ["period"] = p, ["slot"] = slot, ["address"] = Hex(addresses.Compute(bob, p, slot)) });
        }
        return new JsonObject
        {
            ["recipient_key"] = Hex(SHA256.HashData([.. "Dione_Intro_v1"u8, .. bob.Ed25519PublicKey])),
            ["period_seconds"] = 86_400,
            ["addresses"] = list,
        };
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static Dictionary<string, string> Flatten(JsonNode node, string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var pair in Flatten(child!, $"{path}/{key}"))
                    {
                        values.Add(pair.Key, pair.Value);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var pair in Flatten(array[i]!, $"{path}/{i}"))
                    {
                        values.Add(pair.Key, pair.Value);
                    }
                }
                break;
            default:
                values.Add(path, node.ToJsonString());
                break;
        }
        return values;
    }
}
