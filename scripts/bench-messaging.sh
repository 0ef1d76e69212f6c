#!/usr/bin/env bash
# Messaging benchmark (issue 5), all in one run on this machine: a swarm of 50 Dione nodes in one process on
# 127.0.0.1 (real TCP, Noise, Yamux; overlay joined through the first node, then a self-lookup and a lookup per
# bucket on every node; envelope databases as files), Alice and Bob on two of them:
#   online   time from the start of Alice's send until the message is in Bob's inbox; Bob watches, as the daemon does:
#            a waiting FETCH at the holders of every address he expects, answered as soon as an envelope is stored
#            (BENCH_MSG_ARGS="--receiver poll" polls in a loop with a 10 ms pause instead)
#   offline  Bob's node stops, Alice sends, Bob comes back on a new node (join + bucket lookups) from his database file:
#            time from his node's start to the last message in his inbox, and from each send to its receipt
#   lookup   one overlay lookup (closest peers of a random key) from Alice's node after each online message
#   rate     SendAsync in a loop, each awaited until the r holders acknowledged, Bob not polling
#   storage  envelope bytes per stored copy, database pages per copy (row + indexes), copies and bytes per message
#   ephemeral a person's mailbox traffic goes out under throwaway identities (docs/protocol.md §14.6), as in the daemon;
#            BENCH_MSG_ARGS="--ephemeral off" uses the nodes' own peer ids instead, to measure what that costs
#   backlog  Bob comes back to the 300 messages of the rate test: drain time (also as a multiple of one lookup) and
#            the fetch rounds it took (the look-ahead grows fourfold while fetches come back full); target at most 5 rounds
# A message not received within 60 s counts as lost (each with a diagnosis on stderr). Target: delivery under 2x a lookup.
# Prints progress on stderr, a table on stdout, and ENDS with one JSON line of the figures. Exit code 0 when every
# figure was measured (targets met or not), 1 otherwise.
#
# Environment: BENCH_MSG_NODES (50), BENCH_MSG_MESSAGES (30), BENCH_MSG_BURST (300), BENCH_MSG_ARGS (more options
# for the `messaging` mode, e.g. "--bucket-size 64"), BENCH_RESULTS_DIR (keep the raw JSON line).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nodes="${BENCH_MSG_NODES:-50}"
messages="${BENCH_MSG_MESSAGES:-30}"
burst="${BENCH_MSG_BURST:-300}"
read -r -a extra <<<"${BENCH_MSG_ARGS:-}"

log() { echo "[$(date +%H:%M:%S)] bench-messaging: $*" >&2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "building tests/Dione.Benchmarks (Release)..."
dotnet build "$root/tests/Dione.Benchmarks" -c Release -o "$root/.build/bench-messaging" -nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

log "messaging: $nodes nodes on 127.0.0.1, $messages online messages, $burst in the burst..."
if ! timeout --kill-after=5 300 dotnet "$root/.build/bench-messaging/Dione.Benchmarks.dll" messaging \
  --nodes "$nodes" --messages "$messages" --burst "$burst" "${extra[@]}" \
  >"$work/messaging.out" 2> >(tee "$work/messaging.err" >&2); then
  log "FAILED: messaging"
  tail -5 "$work/messaging.err" >&2
fi
summary="$(grep '^{' "$work/messaging.out" | tail -1 || true)"
[[ -n "$summary" ]] || summary='{"nodes":null}'

if [[ -n "${BENCH_RESULTS_DIR:-}" ]]; then
  mkdir -p "$BENCH_RESULTS_DIR"
  echo "$summary" >"$BENCH_RESULTS_DIR/messaging.jsonl"
fi

f() { jq -r "(.$1) as \$v | if \$v == null then \"n/a\" else (\$v | tostring) end" <<<"$summary"; }
row() { printf '%-40s %12s  %s\n' "$@"; }
verdict="$(jq -r 'if .delivery_vs_lookup == null then "n/a" elif .delivery_vs_lookup < 2 then "met" else "MISSED" end' <<<"$summary")"

echo
echo "Dione messaging benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "dotnet $(dotnet --version); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(f nodes) nodes on 127.0.0.1, r = $(f replication), k = $(f bucket_size), $(f message_bytes)-byte messages;" \
  "swarm joined in $(f join_s) s, $(f mean_table_size) peers per overlay table"
echo
row "measure" "value" "notes"
row "online delivery, median" "$(f online_ms) ms" "p95 $(f online_p95_ms) ms; $(f online_messages) messages, $(f online_lost) lost; receiver: $(f receiver)"
row "  of which Alice's send (stores acked)" "$(f send_ms) ms" "overlay lookup + STORE at r holders + outbox commit"
row "  a poll that finds nothing" "$(f empty_poll_ms) ms" "FETCH at the holders of every expected address"
row "overlay lookup, median" "$(f lookup_ms) ms" "p95 $(f lookup_p95_ms) ms"
row "delivery / lookup" "$(f delivery_vs_lookup)x" "target < 2x: $verdict"
row "offline delivery from Bob's start" "$(f offline_ms) ms" "p95 $(f offline_p95_ms) ms; joining takes $(f offline_rejoin_ms) ms; $(f offline_messages) messages, $(f offline_lost) lost"
row "offline: send to receipt, median" "$(f offline_send_to_receipt_ms) ms" "Bob restarts right after the sends"
row "one sender, messages/s" "$(f msgs_per_s)" "$(f burst_complete_first_attempt) of $(f burst_messages) complete at once, $(f burst_pending_after_retries) pending after retries"
row "  burst received exactly once" "$(f burst_received_once)" "$(f burst_lost) lost; Bob drained them in $(f burst_drain_s) s"
row "  backlog drain / lookup" "$(f burst_drain_vs_lookup)x" "$(f burst_drain_rounds) fetch rounds (target at most 5, 0 lost)"
row "throwaway identities" "$(f ephemeral_identities)" "idle connections capped at $(f ephemeral_connection_cap) each; Alice's and Bob's held $(f ephemeral_connections)"
row "envelope bytes per stored copy" "$(f envelope_bytes)" "$(f copies_per_message) copies per message"
row "database bytes per stored copy" "$(f db_bytes_per_copy)" "SQLite pages in use (row + indexes)"
row "bytes per message, all holders" "$(f bytes_per_message_all_holders)" "database: $(f db_bytes_per_message_all_holders)"
echo
echo "$summary"
[[ "$(jq '[.nodes, .online_ms, .offline_ms, .lookup_ms, .delivery_vs_lookup, .msgs_per_s] | map(select(. == null)) | length' <<<"$summary")" -eq 0 ]]
