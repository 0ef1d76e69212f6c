using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dione.Messaging.Crypto;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Identity;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Benchmarks.Ratchet;

/// <summary>
/// The messaging core's costs on one thread: sealing and opening 1 KiB messages (ratchet step, address, header and
/// body AEAD, envelope encoding), opening with a DH step, session setup, state serialisation, and the primitives
/// underneath, all in the same run so the message costs can be explained by the primitive costs.
/// </summary>
internal static class RatchetBenchmark
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20000);

    public static IEnumerable<JsonObject> Run(TimeSpan perItem, int messageBytes)
    {
        if (!ChaCha20Poly1305.IsSupported)
        {
            throw new PlatformNotSupportedException("ChaCha20-Poly1305 is not supported by this platform's crypto library");
        }
        var results = new Dictionary<string, double>();
        JsonObject Line(string item, double microseconds, string what)
        {
            results[item] = microseconds;
            Diagnostics.Log($"{item}: {microseconds:F2} µs ({what})");
            return new JsonObject
            {
                ["mode"] = "ratchet",
                ["item"] = item,
                ["us_per_op"] = JsonLine.Round(microseconds, 3),
                ["ops_per_second"] = Math.Round(1e6 / microseconds),
                ["what"] = what,
            };
        }

        // --- primitives
        var key = RandomNumberGenerator.GetBytes(32);
        var peer = X25519KeyPair.Generate();
        var mine = X25519KeyPair.Generate();
        yield return Line("x25519_agree", OperationTimer.MicrosecondsPerOperation(() => mine.Agree(peer.PublicKey), perItem, 4), "one X25519 agreement (libsodium via Geralt)");
        yield return Line("x25519_keygen", OperationTimer.MicrosecondsPerOperation(() => X25519KeyPair.Generate(), perItem, 4), "one X25519 key pair");
        byte[] one = [0x01];
        yield return Line("hmac_sha256", OperationTimer.MicrosecondsPerOperation(() => HMACSHA256.HashData(key, one), perItem), "HMAC-SHA-256, 32-byte key, 1-byte input");
        yield return Line("sha256_32", OperationTimer.MicrosecondsPerOperation(() => SHA256.HashData(key), perItem), "SHA-256 of 32 bytes");
        yield return Line("hkdf_root_step", OperationTimer.MicrosecondsPerOperation(() => RatchetKdf.RootStep(key, key, RatchetKdf.DefaultRatchetInfo), perItem),
            "KDF_RK_HE + address seed: HKDF extract, expand 96 + expand 32");
        yield return Line("hkdf_message_key", OperationTimer.MicrosecondsPerOperation(() => RatchetKdf.ExpandMessageKey(key), perItem),
            "message key -> body key, nonce, deletion token: HKDF extract, expand 44 + expand 32");
        var plain = new byte[messageBytes];
        RandomNumberGenerator.Fill(plain);
        var padded = PaddingBuckets.Pad(plain);
        var nonce = new byte[12];
        var cipher = new byte[padded.Length];
        var tag = new byte[16];
        yield return Line("chacha20poly1305_body", OperationTimer.MicrosecondsPerOperation(() =>
        {
            using var aead = new ChaCha20Poly1305(key);
            aead.Encrypt(nonce, padded, cipher, tag, key);
        }, perItem), $"ChaCha20-Poly1305 of one {padded.Length}-byte padded body, key set up each time");
        var header64 = new byte[64];
        var headerOut = new byte[64];
        yield return Line("chacha20poly1305_header", OperationTimer.MicrosecondsPerOperation(() =>
        {
            using var aead = new ChaCha20Poly1305(key);
            aead.Encrypt(nonce, header64, headerOut, tag);
        }, perItem), "ChaCha20-Poly1305 of one 64-byte header, key set up each time");
        using (var reused = new ChaCha20Poly1305(key))
        {
            yield return Line("chacha20poly1305_body_reused_key", OperationTimer.MicrosecondsPerOperation(() => reused.Encrypt(nonce, padded, cipher, tag, key), perItem),
                "the same body with the key object reused (the per-key set-up cost is the difference)");
        }

        // --- sessions over random X3DH-like secrets
        var (alice, bob) = NewPair();
        var sample = alice.Encrypt(plain, Now);
        var sampleBytes = sample.ToBytes();
        yield return Line("envelope_encode", OperationTimer.MicrosecondsPerOperation(() => EnvelopeCodec.Encode(sample.Envelope), perItem), "protobuf encode of one envelope");
        yield return Line("envelope_parse", OperationTimer.MicrosecondsPerOperation(() => EnvelopeCodec.Parse(sampleBytes), perItem), "protobuf parse + validate of one envelope");
        yield return Line("encrypt", OperationTimer.MicrosecondsPerOperation(() => alice.Encrypt(plain, Now).ToBytes(), perItem),
            $"seal a {messageBytes}-byte message: chain step, address, header + body AEAD, envelope encoded");

        // Opening in order, one direction: batches sealed untimed, opened timed.
        var (sender, receiver) = NewPair();
        yield return Line("decrypt", OperationTimer.MicrosecondsPerItem(
            () => Enumerable.Range(0, 2000).Select(_ => sender.Encrypt(plain, Now).ToBytes()).ToList(),
            bytes => receiver.Open(bytes, Now),
            perItem), $"open a {messageBytes}-byte message in the current chain: parse, address lookup, header + body AEAD, chain step, window");

        // Opening with a DH step: strictly alternating messages, each the first of a new chain.
        var (a, b) = NewPair();
        var turn = 0;
        yield return Line("decrypt_with_dh_step", OperationTimer.MicrosecondsPerItem<(DioneSession Receiver, byte[] Envelope)>(
            () =>
            {
                // Each prepared message must be opened before the next can be sealed, so batches are single messages.
                var (s, r) = turn++ % 2 == 0 ? (a, b) : (b, a);
                return [(r, s.Encrypt(plain, Now).ToBytes())];
            },
            item => item.Receiver.Open(item.Envelope, Now),
            perItem), "open the first message of a new chain: the above plus 2 root steps, 1 key pair, 2 agreements");

        // Setup: the full X3DH (Dione's: bundle verification, key confirmation, sealed intro) plus each side's ratchet
        // initialisation. Bob's side consumes one intro per run (replays are refused), so intros are made untimed.
        var aliceIdentity = DioneIdentity.Generate();
        var bobIdentity = DioneIdentity.Generate();
        var bobPrekeys = PrekeyStore.Create(bobIdentity, Now);
        var bundleBytes = bobPrekeys.CreateBundle(null).ToByteArray();
        yield return Line("setup_alice", OperationTimer.MicrosecondsPerOperation(() =>
        {
            var bundle = PrekeyBundleVerifier.Verify(bundleBytes, bobIdentity.PublicKey, Now);
            var initiation = X3dhInitiator.Initiate(aliceIdentity, bundle);
            DioneSession.InitiateAsAlice(initiation.Secrets, initiation.RemoteRatchetPublicKey, intro: initiation.SealedIntro.ToArray());
        }, perItem, 2), "X3DH initiator without a one-time prekey: verify the bundle (2 Ed25519 checks), 2 key pairs, 6 agreements (3 X3DH, 2 intro seal, 1 first ratchet step), HKDF");
        yield return Line("setup_bob", OperationTimer.MicrosecondsPerItem(
            () =>
            {
                var bundle = PrekeyBundleVerifier.Verify(bundleBytes, bobIdentity.PublicKey, Now);
                return Enumerable.Range(0, 200).Select(_ => X3dhInitiator.Initiate(aliceIdentity, bundle).SealedIntro.ToArray()).ToList();
            },
            intro =>
            {
                var response = X3dhResponder.AcceptIntro(bobIdentity, bobPrekeys, intro);
                DioneSession.RespondAsBob(response.Secrets, response.RatchetKeyPair);
            },
            perItem), "X3DH responder: open the sealed intro (2 agreements), 3 X3DH agreements, HKDF, key confirmation, replay check, RatchetInitBobHE");

        // State persistence, small and with a full skipped-key store.
        var smallState = bob.Serialize();
        yield return Line("state_serialize", OperationTimer.MicrosecondsPerOperation(() => bob.Serialize(), perItem), $"serialize a session without skipped keys ({smallState.Length} bytes)");
        yield return Line("state_restore", OperationTimer.MicrosecondsPerOperation(() => DioneSession.Restore(smallState), perItem), "restore it");
        var (fullSender, full) = NewPair();
        full.Open(fullSender.Encrypt(plain, Now).ToBytes(), Now);
        for (var i = 0; i < 2; i++)
        {
            var skipping = Enumerable.Range(0, 1001).Select(_ => fullSender.Encrypt([1], Now)).ToList();
            full.Open(skipping[^1].Envelope, Now);
        }
        var fullState = full.Serialize();
        yield return Line("state_serialize_2000_skipped", OperationTimer.MicrosecondsPerOperation(() => full.Serialize(), perItem, 1),
            $"serialize a session holding 2000 skipped keys ({fullState.Length} bytes)");
        yield return Line("state_restore_2000_skipped", OperationTimer.MicrosecondsPerOperation(() => DioneSession.Restore(fullState), perItem, 1), "restore it");

        // What one mailbox poll costs per session (ExpectedAddresses): restore the stored state, list its pending
        // addresses (window W in the current and the next chain) and the messenger's look-ahead of 32 beyond each.
        var (pollSender, polled) = NewPair();
        polled.Open(pollSender.Encrypt(plain, Now).ToBytes(), Now);
        var polledState = polled.Serialize();
        var asked = 0;
        yield return Line("poll_addresses", OperationTimer.MicrosecondsPerOperation(() =>
        {
            var session = DioneSession.Restore(polledState);
            asked = session.PendingAddresses.Count + session.RecoveryAddresses(PollLookAhead).Count;
        }, perItem, 1), $"one session's addresses for one poll: restore, pending window and a look-ahead of {PollLookAhead} per chain");
        results["poll_addresses_asked"] = asked;

        yield return Summary(results, messageBytes, padded.Length);
    }

    /// <summary>The messenger's default look-ahead (MessengerOptions.LookAhead).</summary>
    private const int PollLookAhead = 32;

    private static JsonObject Summary(Dictionary<string, double> r, int messageBytes, int bucket)
    {
        // Cost model from the primitives: what each operation is made of (docs/protocol.md). Encrypt: chain step (2 HMAC),
        // address and next address key (2 HMAC), message-key expansion, SHA-256 of the token, header and body AEAD, encoding.
        // Decrypt: the same, but the window slides by one address (address + next key) instead of the sender's 2, plus
        // the receiving chain's next address key: 5 HMAC; parsing instead of encoding.
        var encryptModel = 4 * r["hmac_sha256"] + r["hkdf_message_key"] + r["sha256_32"] + r["chacha20poly1305_header"] + r["chacha20poly1305_body"] + r["envelope_encode"];
        var decryptModel = 5 * r["hmac_sha256"] + r["hkdf_message_key"] + r["sha256_32"] + r["chacha20poly1305_header"] + r["chacha20poly1305_body"] + r["envelope_parse"];
        var dhStepExtra = 2 * r["hkdf_root_step"] + r["x25519_keygen"] + 2 * r["x25519_agree"];
        // Alice's setup without a one-time prekey: 3 X3DH agreements, 2 for the intro seal and 1 for her first ratchet
        // step, with 2 key pairs (EK and her first ratchet key); the 2 Ed25519 checks of the bundle and the
        // Ed25519-to-X25519 map of Bob's identity are not in the model.
        var setupAgreements = 2 * r["x25519_keygen"] + 6 * r["x25519_agree"];
        return new JsonObject
        {
            ["mode"] = "ratchet",
            ["item"] = "summary",
            ["message_bytes"] = messageBytes,
            ["padded_bytes"] = bucket,
            ["encrypt_per_second"] = Math.Round(1e6 / r["encrypt"]),
            ["decrypt_per_second"] = Math.Round(1e6 / r["decrypt"]),
            ["decrypt_with_dh_step_per_second"] = Math.Round(1e6 / r["decrypt_with_dh_step"]),
            ["encrypt_us"] = JsonLine.Round(r["encrypt"], 2),
            ["decrypt_us"] = JsonLine.Round(r["decrypt"], 2),
            ["decrypt_with_dh_step_us"] = JsonLine.Round(r["decrypt_with_dh_step"], 2),
            ["setup_alice_us"] = JsonLine.Round(r["setup_alice"], 1),
            ["setup_bob_us"] = JsonLine.Round(r["setup_bob"], 1),
            ["x25519_agree_us"] = JsonLine.Round(r["x25519_agree"], 2),
            ["x25519_keygen_us"] = JsonLine.Round(r["x25519_keygen"], 2),
            ["hmac_sha256_us"] = JsonLine.Round(r["hmac_sha256"], 3),
            ["hkdf_root_step_us"] = JsonLine.Round(r["hkdf_root_step"], 3),
            ["hkdf_message_key_us"] = JsonLine.Round(r["hkdf_message_key"], 3),
            ["chacha20poly1305_body_us"] = JsonLine.Round(r["chacha20poly1305_body"], 3),
            ["chacha20poly1305_header_us"] = JsonLine.Round(r["chacha20poly1305_header"], 3),
            ["encrypt_model_us"] = JsonLine.Round(encryptModel, 2),
            ["decrypt_model_us"] = JsonLine.Round(decryptModel, 2),
            ["dh_step_model_extra_us"] = JsonLine.Round(dhStepExtra, 2),
            ["setup_model_agreements_us"] = JsonLine.Round(setupAgreements, 2),
            ["encrypt_aead_share"] = JsonLine.Round((r["chacha20poly1305_header"] + r["chacha20poly1305_body"]) / r["encrypt"], 3),
            ["decrypt_with_dh_step_x25519_share"] = JsonLine.Round((r["x25519_keygen"] + 2 * r["x25519_agree"]) / r["decrypt_with_dh_step"], 3),
            ["state_serialize_us"] = JsonLine.Round(r["state_serialize"], 2),
            ["state_serialize_2000_skipped_us"] = JsonLine.Round(r["state_serialize_2000_skipped"], 1),
            ["state_restore_2000_skipped_us"] = JsonLine.Round(r["state_restore_2000_skipped"], 1),
            ["poll_addresses_us"] = JsonLine.Round(r["poll_addresses"], 1),
            ["poll_addresses_asked"] = r["poll_addresses_asked"],
            // Less the restore, in HMAC-SHA-256 equivalents: each address costs two (address and next address key).
            ["poll_addresses_hmacs"] = Math.Round((r["poll_addresses"] - r["state_restore"]) / r["hmac_sha256"]),
        };
    }

    private static (DioneSession Alice, DioneSession Bob) NewPair()
    {
        var secrets = new X3dhSecrets(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(66));
        var prekey = X25519KeyPair.Generate();
        return (DioneSession.InitiateAsAlice(secrets, prekey.PublicKey), DioneSession.RespondAsBob(secrets, prekey));
    }
}
