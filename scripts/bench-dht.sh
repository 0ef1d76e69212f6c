#!/usr/bin/env bash
# DHT lookup benchmark (issue 3), all in one run on this machine:
#   1. dht-sim: 1,000 Dione routing tables in one process, FIND_NODE answered in memory. The tables are formed by
#      the nodes joining one by one (each through a random earlier node: self-lookup, then a refresh of each bucket;
#      then every node refreshes once more) and, for reference, by offering every node every other ("converged").
#   2. dht-tcp: 50 KademliaDht servers on 127.0.0.1 (TCP, Noise, Yamux, identify), joined in a chain: each
#      bootstraps from the one before it, then refreshes its buckets; then every node refreshes once more.
# Each is measured on the whole network, then with 30% of the nodes gone (their entries left in every table).
# Lookups are Dione.Kademlia's LookupEngine (k = 20, alpha = 10), from the node's own routing table and requests.
# A lookup is closest-peers of a random key or find-peer of a random live node (alternating), from a random live node;
# it succeeds when the closest live node to the key (by brute force) is among its results, or the target is found
# (a find-peer stops as soon as a reply names the target).
# Rounds: the longest chain of requests where each was sent to a peer learnt from the previous one's reply.
# Targets: median rounds <= ceil(log2(N)/log2(k)) + 1; success >= 99% (whole network), >= 95% (30% gone).
# Prints progress on stderr, a table on stdout, and ENDS with one JSON line of the figures. Exit code 0 when every
# figure was measured (targets met or not), 1 when one is missing.
#
# Environment: BENCH_DHT_NODES (1000), BENCH_DHT_LOOKUPS (2000), BENCH_DHT_TCP_NODES (50),
# BENCH_DHT_TCP_LOOKUPS (200), BENCH_DHT_CHURN (0.3), BENCH_DHT_SEED (1), BENCH_RESULTS_DIR (keep the raw JSON lines).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nodes="${BENCH_DHT_NODES:-1000}"
lookups="${BENCH_DHT_LOOKUPS:-2000}"
tcp_nodes="${BENCH_DHT_TCP_NODES:-50}"
tcp_lookups="${BENCH_DHT_TCP_LOOKUPS:-200}"
churn="${BENCH_DHT_CHURN:-0.3}"
seed="${BENCH_DHT_SEED:-1}"

log() { echo "[$(date +%H:%M:%S)] bench-dht: $*" >&2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "building tests/Dione.Benchmarks (Release)..."
dotnet build "$root/tests/Dione.Benchmarks" -c Release -o "$root/.build/bench-dht" -nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
bench=(dotnet "$root/.build/bench-dht/Dione.Benchmarks.dll")
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME SECONDS ARGS...: runs a benchmark mode (time-limited), keeps its JSON lines in $work/NAME.jsonl.
run() {
  local name="$1" seconds="$2"
  shift 2
  if ! timeout --kill-after=5 "$seconds" "${bench[@]}" "$@" >"$work/$name.out" 2> >(tee "$work/$name.err" >&2); then
    log "FAILED: $name"
    tail -5 "$work/$name.err" >&2
  fi
  grep '^{' "$work/$name.out" >"$work/$name.jsonl" || true
}

log "dht-sim: $nodes nodes, $lookups lookups per measurement, churn $churn..."
run sim 200 dht-sim --nodes "$nodes" --lookups "$lookups" --churn "$churn" --seed "$seed" --tables join,converged
log "dht-tcp: $tcp_nodes hosts on 127.0.0.1, $tcp_lookups lookups per measurement, churn $churn..."
run tcp 240 dht-tcp --nodes "$tcp_nodes" --lookups "$tcp_lookups" --churn "$churn" --seed "$seed"

if [[ -n "${BENCH_RESULTS_DIR:-}" ]]; then
  mkdir -p "$BENCH_RESULTS_DIR"
  cp "$work"/*.jsonl "$BENCH_RESULTS_DIR"/
fi

# pick FILE FILTER: the first line of FILE matching the jq FILTER, or null.
pick() { jq -c -s "[.[] | select($2)] | first" "$1"; }
sim_whole="$(pick "$work/sim.jsonl" '.tables == "join" and .gone == 0')"
sim_churn="$(pick "$work/sim.jsonl" '.tables == "join" and .gone > 0')"
conv_whole="$(pick "$work/sim.jsonl" '.tables == "converged" and .gone == 0')"
conv_churn="$(pick "$work/sim.jsonl" '.tables == "converged" and .gone > 0')"
tcp_whole="$(pick "$work/tcp.jsonl" '.gone == 0')"
tcp_churn="$(pick "$work/tcp.jsonl" '.gone > 0')"

summary="$(
  jq -n -c \
    --argjson nodes "$nodes" --argjson tcp_nodes "$tcp_nodes" --argjson churn "$churn" \
    --argjson sw "$sim_whole" --argjson sc "$sim_churn" --argjson cw "$conv_whole" --argjson cc "$conv_churn" \
    --argjson tw "$tcp_whole" --argjson tc "$tcp_churn" '
    def meets($v; $op; $bound): if $v == null or $bound == null then null elif $op == "<=" then $v <= $bound else $v >= $bound end;
    {
      nodes: $nodes,
      median_rounds: $sw.median_rounds,
      success: $sw.success,
      success_churn30: $sc.success,
      msgs_per_lookup: $sw.msgs_per_lookup,
      target_rounds: $sw.target_rounds,
      lookup: $sw.lookup,
      tables: "join",
      lookups: $sw.lookups,
      p95_rounds: $sw.p95_rounds,
      median_rounds_churn30: $sc.median_rounds,
      msgs_per_lookup_churn30: $sc.msgs_per_lookup,
      recall_k: $sw.recall_k,
      recall_k_churn30: $sc.recall_k,
      converged_median_rounds: $cw.median_rounds,
      converged_success: $cw.success,
      converged_success_churn30: $cc.success,
      converged_msgs_per_lookup: $cw.msgs_per_lookup,
      tcp_nodes: $tcp_nodes,
      tcp_lookup: $tw.lookup,
      tcp_lookups: $tw.lookups,
      tcp_median_rounds: $tw.median_rounds,
      tcp_target_rounds: $tw.target_rounds,
      tcp_success: $tw.success,
      tcp_success_churn30: $tc.success,
      tcp_msgs_per_lookup: $tw.msgs_per_lookup,
      tcp_msgs_per_lookup_churn30: $tc.msgs_per_lookup,
      tcp_median_ms: $tw.median_ms,
      tcp_p95_ms: $tw.p95_ms,
      tcp_median_ms_churn30: $tc.median_ms,
      tcp_p95_ms_churn30: $tc.p95_ms,
      tcp_join_seconds: $tw.build_seconds
    }
    | . + {
      meets_rounds: meets(.median_rounds; "<="; .target_rounds),
      meets_success: meets(.success; ">="; 0.99),
      meets_success_churn30: meets(.success_churn30; ">="; 0.95),
      tcp_meets_rounds: meets(.tcp_median_rounds; "<="; .tcp_target_rounds),
      tcp_meets_success: meets(.tcp_success; ">="; 0.99),
      tcp_meets_success_churn30: meets(.tcp_success_churn30; ">="; 0.95)
    }' 2>/dev/null
)" || summary='{"nodes":null}'

# cell LINE FILTER: a field of a measurement line for the table, "n/a" when missing.
cell() { jq -r "if . == null then \"n/a\" else ($2 | if . == null then \"n/a\" else tostring end) end" <<<"$1"; }
verdict() { case "$(jq -r ".$1" <<<"$summary")" in true) echo met ;; false) echo MISSED ;; *) echo "n/a" ;; esac; }
row() { printf '%-24s %5s %5s  %6s %6s %5s  %6s %6s  %7s %7s %7s  %6s  %8s %8s\n' "$@"; }
line() {
  row "$1" "$(cell "$2" .nodes)" "$(cell "$2" '.nodes - .gone')" \
    "$(cell "$2" .median_rounds)" "$(cell "$2" .target_rounds)" "$(cell "$2" .p95_rounds)" \
    "$(cell "$2" .msgs_per_lookup)" "$(cell "$2" .failed_msgs_per_lookup)" \
    "$(cell "$2" '.success * 100 | . * 10 | round / 10')" "$(cell "$2" '.success_closest * 100 | . * 10 | round / 10')" \
    "$(cell "$2" '.success_findpeer * 100 | . * 10 | round / 10')" "$(cell "$2" .recall_k)" \
    "$(cell "$2" .median_ms)" "$(cell "$2" .p95_ms)"
}

echo
echo "Dione DHT lookup benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "dotnet $(dotnet --version); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "k = $(cell "$sim_whole" .k), alpha = $(cell "$sim_whole" .alpha), lookup: $(cell "$sim_whole" .lookup); seed $seed"
echo "$lookups lookups per simulated measurement, $tcp_lookups per TCP measurement, half closest-peers, half find-peer"
echo
row "run" "nodes" "live" "rounds" "target" "p95" "msgs" "failed" "success" "closest" "findpeer" "recall" "median" "p95"
row "" "" "" "median" "" "" "/lookup" "/lookup" "%" "%" "%" "@k" "ms" "ms"
line "sim, joined" "$sim_whole"
line "sim, joined, 30% gone" "$sim_churn"
line "sim, converged" "$conv_whole"
line "sim, converged, 30% gone" "$conv_churn"
line "tcp, chain-joined" "$tcp_whole"
line "tcp, 30% gone" "$tcp_churn"
echo
echo "targets (sim, joined):  median rounds <= $(cell "$sim_whole" .target_rounds): $(verdict meets_rounds);" \
  "success >= 99%: $(verdict meets_success); success with 30% gone >= 95%: $(verdict meets_success_churn30)"
echo "targets (tcp):          median rounds <= $(cell "$tcp_whole" .target_rounds): $(verdict tcp_meets_rounds);" \
  "success >= 99%: $(verdict tcp_meets_success); success with 30% gone >= 95%: $(verdict tcp_meets_success_churn30)"
echo "tables: joined $(cell "$sim_whole" .mean_table_size) peers on average after $(cell "$sim_whole" .build_msgs) messages;" \
  "converged $(cell "$conv_whole" .mean_table_size); tcp $(cell "$tcp_whole" .mean_table_size) after joining in $(cell "$tcp_whole" .build_seconds) s"
echo "recall@k: share of the true k closest live nodes among a closest-peers lookup's results; failed: requests to nodes that had gone"
echo
echo "$summary"
[[ "$(jq '[.[] | select(. == null)] | length' <<<"$summary")" -eq 0 ]]
