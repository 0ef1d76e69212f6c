#!/usr/bin/env python3
"""Generates the ratchet-*.json known-answer vectors from fixed keys with an implementation independent of the C# code
(Python hmac/hashlib and pyca/cryptography), following docs/protocol.md. Run from this folder; the C# tests recompute
every value. Re-running must not change the files."""
import hashlib
import hmac
import json

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization


def h(b):
    return b.hex()


def hmac256(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()


def hkdf_extract(salt, ikm):
    return hmac256(salt if salt else bytes(32), ikm)


def hkdf_expand(prk, info, length):
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac256(prk, t + info + bytes([i]))
        out += t
        i += 1
    return out[:length]


def fixed(label):
    """A fixed 32-byte test key: SHA-256 of a label."""
    return hashlib.sha256(("dione-vector:" + label).encode()).digest()


def x25519_public(private):
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def x25519(private, public):
    return X25519PrivateKey.from_private_bytes(private).exchange(X25519PublicKey.from_public_bytes(public))


def root_step(rk, dh_out, info):
    prk = hkdf_extract(rk, dh_out)
    okm = hkdf_expand(prk, info.encode(), 96)
    nak = hkdf_expand(prk, b"Dione_AddrChain_v1", 32)
    return okm[:32], okm[32:64], okm[64:], nak


def chain_step(ck):
    return hmac256(ck, b"\x01"), hmac256(ck, b"\x02")


def expand_message_key(mk):
    prk = hkdf_extract(bytes(32), mk)
    okm = hkdf_expand(prk, b"Dione_MessageKey_v1", 44)
    token = hkdf_expand(prk, b"Dione_DeleteToken_v1", 32)
    return okm[:32], okm[32:], token


def address_chain(ak, count):
    out = []
    for _ in range(count):
        out.append(hmac256(ak, b"\x03"))
        ak = hmac256(ak, b"\x04")
    return out, ak


def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def header_proto(dh, pn, n, body_length):
    # RatchetHeader: dh = 1 (bytes), pn = 2, n = 3, body_length = 4 (uint32); zero values are omitted (proto3).
    out = b"\x0a\x20" + dh
    for field, value in ((2, pn), (3, n), (4, body_length)):
        if value:
            out += bytes([field << 3]) + varint(value)
    return out


def write(name, obj):
    with open(name, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


# --- ratchet-kdf.json: KDF_RK_HE (+ address seed), KDF_CK, message-key expansion, initial address seeds.
sk = fixed("SK")
alice_dh = fixed("alice ratchet private")
bob_dh = fixed("bob signed prekey private")
dh_out = x25519(alice_dh, x25519_public(bob_dh))
rk, ck, nhk, nak = root_step(sk, dh_out, "Dione_Ratchet_v1")
ck_chain = []
c = ck
for i in range(3):
    mk, nxt = chain_step(c)
    body_key, body_nonce, token = expand_message_key(mk)
    ck_chain.append({"n": i, "chain_key": h(c), "message_key": h(mk), "next_chain_key": h(nxt),
                     "body_key": h(body_key), "body_nonce": h(body_nonce), "deletion_token": h(token),
                     "deletion_hash": h(hashlib.sha256(token).digest())})
    c = nxt
init = hkdf_expand(hkdf_extract(bytes(32), sk), b"Dione_AddrInit_v1", 64)
write("ratchet-kdf.json", {
    "description": "Dione ratchet KDFs from fixed keys (each key = SHA-256('dione-vector:' + label)); see docs/protocol.md",
    "root_step": {"root_key": h(sk), "alice_private": h(alice_dh), "bob_private": h(bob_dh),
                  "bob_public": h(x25519_public(bob_dh)), "dh_output": h(dh_out), "info": "Dione_Ratchet_v1",
                  "next_root_key": h(rk), "chain_key": h(ck), "next_header_key": h(nhk), "next_address_key": h(nak)},
    "chain_steps": ck_chain,
    "initial_address_seeds": {"shared_secret": h(sk), "initiator": h(init[:32]), "responder": h(init[32:])},
})

# --- ratchet-address.json: the address chain from a seed.
seed = fixed("address seed")
addresses, ak_after = address_chain(seed, 5)
write("ratchet-address.json", {
    "description": "address_i = HMAC-SHA-256(AK_i, 0x03), AK_{i+1} = HMAC-SHA-256(AK_i, 0x04)",
    "seed": h(seed), "addresses": [h(a) for a in addresses], "address_key_after": h(ak_after),
})

# --- ratchet-message.json: header encryption, padding and body encryption of one message.
header_key = fixed("header key")
message_key = fixed("message key")
ad = fixed("identity A") + fixed("identity B")
sender_public = x25519_public(fixed("sender ratchet private"))
address = addresses[2]
plaintext = b"Dione vector message: hello, Bob."
header_plain = header_proto(sender_public, 7, 2, len(plaintext))
header_padded = header_plain + b"\x80" + bytes(64 - len(header_plain) - 1)
encrypted_header = ChaCha20Poly1305(header_key).encrypt(address[:12], header_padded, None)
body_key, body_nonce, token = expand_message_key(message_key)
padded = plaintext + bytes(256 - len(plaintext))
body = ChaCha20Poly1305(body_key).encrypt(body_nonce, padded, ad + encrypted_header)
write("ratchet-message.json", {
    "description": "one message: header (pn 7, n 2) padded to 64 (ISO/IEC 7816-4) and sealed under the header key with nonce = address[0..12]; body zero-filled to 256 and sealed with the key and nonce expanded from the message key, AD = session AD || encrypted header",
    "header_key": h(header_key), "message_key": h(message_key), "associated_data": h(ad),
    "sender_ratchet_public": h(sender_public), "pn": 7, "n": 2, "address": h(address),
    "plaintext": h(plaintext), "header_plaintext": h(header_padded), "encrypted_header": h(encrypted_header),
    "body": h(body), "deletion_hash": h(hashlib.sha256(token).digest()),
})

# --- ratchet-padding.json: bucket per plaintext length.
buckets = [256, 1024, 4096, 16384, 65536]
lengths = [0, 1, 255, 256, 257, 1000, 1024, 1025, 4096, 4097, 16384, 16385, 65535, 65536]
write("ratchet-padding.json", {
    "description": "plaintext length -> padded body length (zero fill; the true length is in the encrypted header)",
    "buckets": buckets,
    "cases": [{"length": n, "padded": next(b for b in buckets if n <= b)} for n in lengths],
    "too_long": [65537, 100000],
})
