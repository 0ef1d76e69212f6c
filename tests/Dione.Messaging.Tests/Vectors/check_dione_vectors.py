#!/usr/bin/env python3
"""Independent check of dione-x3dh-v1.json with pyca/cryptography (no Dione code involved).

Recomputes every derived value from the file's inputs following docs/protocol.md §1 and compares.
The protobuf bytes (bundle, initial data) are taken from the file: this script checks the keys, signatures,
KDF, confirmation, seal and addresses around them, not the protobuf library. Run: python3 check_dione_vectors.py
"""
import base64
import hashlib
import hmac
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

P = 2**255 - 19
failures = []


def check(name, expected, actual):
    if expected != actual:
        failures.append(f"{name}: file {expected} computed {actual}")


def raw(public_key):
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def x25519_from_ed25519_public(ed):
    y = int.from_bytes(ed, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow(1 - y, P - 2, P) % P
    return u.to_bytes(32, "little")


def x25519_private_from_seed(seed):
    return X25519PrivateKey.from_private_bytes(hashlib.sha512(seed).digest()[:32])


def dh(private, public):
    return private.exchange(X25519PublicKey.from_public_bytes(public))


def hkdf(ikm, info, length):
    return HKDF(hashes.SHA256(), length, b"\0" * 32, info).derive(ikm)


def address(ed):
    payload = b"\x01" + ed + hashlib.sha256(b"\x01" + ed).digest()[:4]
    return "b" + base64.b32encode(payload).decode().lower().rstrip("=")


v = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dione-x3dh-v1.json")))
inp = v["inputs"]
h = bytes.fromhex
now = inp["time_unix_seconds"]

ids = {}
for who in ("alice", "bob"):
    seed = h(inp[f"{who}_identity_seed"])
    ed = raw(Ed25519PrivateKey.from_private_bytes(seed).public_key())
    ids[who] = (seed, ed)
    i = v["identities"]
    check(f"{who}_ed25519_public", i[f"{who}_ed25519_public"], ed.hex())
    check(f"{who}_x25519_public (map)", i[f"{who}_x25519_public"], x25519_from_ed25519_public(ed).hex())
    check(f"{who}_x25519_public (scalar)", i[f"{who}_x25519_public"], raw(x25519_private_from_seed(seed).public_key()).hex())
    check(f"{who}_encoded", i[f"{who}_encoded"], ("01" + ed.hex()))
    check(f"{who}_address", i[f"{who}_address"], address(ed))

bob_signer = Ed25519PrivateKey.from_private_bytes(ids["bob"][0])
pk = v["prekeys"]
spk_priv = X25519PrivateKey.from_private_bytes(h(inp["bob_signed_prekey_private"]))
spk_pub = raw(spk_priv.public_key())
opk_priv = X25519PrivateKey.from_private_bytes(h(inp["bob_one_time_prekey_private"]))
opk_pub = raw(opk_priv.public_key())
spk_msg = b"Dione_SignedPrekey_v1" + struct.pack(">IQ", pk["signed_prekey_id"], now) + spk_pub
opk_msg = b"Dione_OneTimePrekey_v1" + struct.pack(">I", pk["one_time_prekey_id"]) + opk_pub
check("signed_prekey_public", pk["signed_prekey_public"], spk_pub.hex())
check("signed_prekey_signed_message", pk["signed_prekey_signed_message"], spk_msg.hex())
check("signed_prekey_signature", pk["signed_prekey_signature"], bob_signer.sign(spk_msg).hex())
check("one_time_prekey_public", pk["one_time_prekey_public"], opk_pub.hex())
check("one_time_prekey_signed_message", pk["one_time_prekey_signed_message"], opk_msg.hex())
check("one_time_prekey_signature", pk["one_time_prekey_signature"], bob_signer.sign(opk_msg).hex())

alice_ik = x25519_private_from_seed(ids["alice"][0])
bob_ik_x = x25519_from_ed25519_public(ids["bob"][1])
ad = b"\x01" + ids["alice"][1] + b"\x01" + ids["bob"][1]
for s, key in zip(v["sessions"], ("with_one_time_prekey", "without_one_time_prekey")):
    n = s["name"]
    ek = X25519PrivateKey.from_private_bytes(h(inp[f"alice_ephemeral_private_{key}"]))
    ek_pub = raw(ek.public_key())
    dhs = [dh(alice_ik, spk_pub), dh(ek, bob_ik_x), dh(ek, spk_pub)]
    with_opk = key == "with_one_time_prekey"
    if with_opk:
        dhs.append(dh(ek, opk_pub))
        # The responder's side gives the same values.
        check(n + " dh4 (responder)", s["dh4"], dh(opk_priv, ek_pub).hex())
        check(n + " dh4", s["dh4"], dhs[3].hex())
    for i in range(3):
        check(f"{n} dh{i + 1}", s[f"dh{i + 1}"], dhs[i].hex())
    check(n + " dh1 (responder)", s["dh1"], dh(spk_priv, x25519_from_ed25519_public(ids["alice"][1])).hex())
    check(n + " alice_ephemeral_public", s["alice_ephemeral_public"], ek_pub.hex())
    check(n + " associated_data", s["associated_data"], ad.hex())
    okm = hkdf(b"\xff" * 32 + b"".join(dhs), b"Dione_X3DH_v1", 128)
    check(n + " kdf_output", s["kdf_output"], okm.hex())
    for name, part in (("root_key", okm[:32]), ("shared_hka", okm[32:64]), ("shared_nhkb", okm[64:96]), ("confirmation_key", okm[96:])):
        check(f"{n} {name}", s[name], part.hex())
    opk_id = pk["one_time_prekey_id"] if with_opk else 0
    conf_input = (b"Dione_X3DH_Confirm_v1" + ad + ek_pub + struct.pack(">I", pk["signed_prekey_id"])
                  + bytes([1 if with_opk else 0]) + struct.pack(">I", opk_id))
    check(n + " confirmation", s["confirmation"], hmac.new(okm[96:], conf_input, hashlib.sha256).hexdigest())
    seal = hkdf(dhs[1] + dhs[2], b"Dione_Intro_Seal_v1" + ek_pub + ids["bob"][1] + spk_pub, 44)
    check(n + " seal_key", s["seal_key"], seal[:32].hex())
    check(n + " seal_nonce", s["seal_nonce"], seal[32:].hex())
    sealed = ek_pub + ChaCha20Poly1305(seal[:32]).encrypt(seal[32:], h(s["initial_data_protobuf"]), b"")
    check(n + " sealed_intro", s["sealed_intro"], sealed.hex())
    # The initial data must carry the confirmation and the ephemeral key it is bound to.
    check(n + " initial data holds the confirmation", True, h(s["confirmation"]) in h(s["initial_data_protobuf"]))
    check(n + " initial data holds the ephemeral key", True, ek_pub in h(s["initial_data_protobuf"]))

ia = v["intro_addresses"]
rk = hashlib.sha256(b"Dione_Intro_v1" + ids["bob"][1]).digest()
check("intro recipient_key", ia["recipient_key"], rk.hex())
check("intro period", now // ia["period_seconds"], ia["addresses"][0]["period"])
for a in ia["addresses"]:
    check(f"intro address {a['period']}/{a['slot']}", a["address"],
          hmac.new(rk, struct.pack(">QH", a["period"], a["slot"]), hashlib.sha256).hexdigest())

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("all Dione X3DH vectors reproduce independently")
