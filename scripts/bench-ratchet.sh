#!/usr/bin/env bash
# Messaging-core benchmark (issue 4), one thread, all in one run on this machine:
#   sealing and opening 1 KiB messages through DioneSession (ratchet step, mailbox address, header and body
#   ChaCha20-Poly1305, envelope protobuf), opening the first message of a new chain (DH step), session setup (the full
#   X3DH of docs/protocol.md §1 on each side, then the ratchet initialisation), state serialisation, and the primitives
#   underneath (X25519, HMAC-SHA-256, HKDF, ChaCha20-Poly1305, SHA-256, protobuf), so each figure can be explained
#   by the primitives it is made of (the *_model_us fields), and what one mailbox poll costs per session (poll_addresses:
#   restore the state, list the window and the messenger's look-ahead; poll_addresses_hmacs counts its HMACs).
# Prints progress on stderr, a table on stdout, and ENDS with one JSON line of the figures. Exit code 0 when every
# figure was measured, 1 otherwise.
#
# Environment: BENCH_RATCHET_SECONDS (1, per item), BENCH_RATCHET_MESSAGE_BYTES (1024), BENCH_RESULTS_DIR (keep the raw JSON lines).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${BENCH_RATCHET_SECONDS:-1}"
message_bytes="${BENCH_RATCHET_MESSAGE_BYTES:-1024}"

log() { echo "[$(date +%H:%M:%S)] bench-ratchet: $*" >&2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "building tests/Dione.Benchmarks (Release)..."
dotnet build "$root/tests/Dione.Benchmarks" -c Release -o "$root/.build/bench-ratchet" -nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

log "ratchet: ${seconds} s per item, ${message_bytes}-byte messages..."
if ! timeout --kill-after=5 300 dotnet "$root/.build/bench-ratchet/Dione.Benchmarks.dll" ratchet --seconds "$seconds" --message-bytes "$message_bytes" \
  >"$work/ratchet.out" 2> >(tee "$work/ratchet.err" >&2); then
  log "FAILED: ratchet"
  tail -5 "$work/ratchet.err" >&2
fi
grep '^{' "$work/ratchet.out" >"$work/ratchet.jsonl" || true

if [[ -n "${BENCH_RESULTS_DIR:-}" ]]; then
  mkdir -p "$BENCH_RESULTS_DIR"
  cp "$work"/*.jsonl "$BENCH_RESULTS_DIR"/
fi

echo
echo "Dione messaging-core benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "dotnet $(dotnet --version); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg); one thread"
echo
printf '%-32s %12s %14s  %s\n' "item" "us/op" "ops/s" "what"
jq -r 'select(.item != "summary") | [.item, (.us_per_op | tostring), (.ops_per_second | tostring), .what] | @tsv' "$work/ratchet.jsonl" |
  while IFS=$'\t' read -r item us ops what; do printf '%-32s %12s %14s  %s\n' "$item" "$us" "$ops" "$what"; done
echo
summary="$(jq -c 'select(.item == "summary") | del(.mode, .item)' "$work/ratchet.jsonl" | tail -1)"
[[ -n "$summary" ]] || summary='{"encrypt_per_second":null}'
jq -r '"model (sum of the primitives each operation uses): encrypt \(.encrypt_model_us) us vs \(.encrypt_us) measured; decrypt \(.decrypt_model_us) us vs \(.decrypt_us);"
  + " a DH step adds \(.dh_step_model_extra_us) us by the model, \(.decrypt_with_dh_step_us - .decrypt_us | . * 100 | round / 100) us measured;"
  + " AEAD share of encrypt \(.encrypt_aead_share); X25519 share of a DH-step open \(.decrypt_with_dh_step_x25519_share)"' <<<"$summary" 2>/dev/null || true
echo "setup is the full X3DH of docs/protocol.md §1 (setup_model_agreements_us counts only its X25519 work)"
jq -r '"one poll, per session: \(.poll_addresses_us) us for \(.poll_addresses_asked) addresses, about \(.poll_addresses_hmacs) HMAC-SHA-256 beyond the restore"' <<<"$summary" 2>/dev/null || true
echo
echo "$summary"
[[ "$(jq '[.encrypt_per_second, .decrypt_per_second, .decrypt_with_dh_step_per_second, .setup_alice_us, .setup_bob_us] | map(select(. == null)) | length' <<<"$summary")" -eq 0 ]]
