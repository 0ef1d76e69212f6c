#!/usr/bin/env bash
# Transport benchmark, Dione (C#) beside js-libp2p, measured in one run on this machine, all on 127.0.0.1:
#   1. single-stream /perf/1.0.0 throughput (download and upload) C#->C#, js->js, C#->js, js->C#, plus a raw
#      loopback TCP socket pair and single-core ChaCha20-Poly1305 (64 KiB chunks) as ceilings;
#   2. sequential full connection setups per second (TCP, multistream, Noise, Yamux, first ping byte, close);
#   3. round trips from starting the TCP connect to the first byte of the first stream's response, through a
#      proxy adding a fixed one-way delay (RTT = 2 x delay), C#->C# and js->js (and C#->js).
# Prints progress on stderr, a table on stdout, and ENDS with one JSON line of the figures and ratios.
# Exit code 0 when every figure was measured (targets missed or not), 1 when one is missing (null). A run that failed
# is logged, counted in "failed_runs" and retried (BENCH_RETRIES times, after BENCH_PAUSE seconds); the best of the
# runs that succeeded counts.
#
# Setups on a busy machine: the js peer exempts 127.0.0.1 from js-libp2p's inbound limits (5 connections per second
# per IP, 10 still upgrading), the js dialer may take BENCH_SETUPS_TIMEOUT seconds per run, and rounds are BENCH_PAUSE
# seconds apart. Both sides measure the same BENCH_SETUPS setups after as many unmeasured ones; the JSON line reports
# how many runs of each side were measured and how many failed.
#
# Both sides are warmed up the same way before they are measured: the C# perf client moves 64 MiB each way first and
# the js dialer runs its perf check twice in one process (the second counts); for setups, C# does --warmup N and the
# js dialer runs its setups check twice (the second counts).
#
# Environment: BENCH_BYTES (256MiB), BENCH_REPEAT (3: throughput and setups runs per pair, best kept),
# BENCH_SETUPS (200), BENCH_SETUPS_TIMEOUT (240: seconds per js setups check, warm-up and measured each), BENCH_RETRIES (2: extra attempts of a
# failed run), BENCH_SETUP_RETRIES (5: failed js setups tolerated in a run, each tried again; the time of the failed
# attempts counts and their number is reported), BENCH_PAUSE (3: seconds between rounds and before a retry), BENCH_DELAY_MS (20), BENCH_RTT_TRIALS (5),
# BENCH_CHACHA_SECONDS (2), BENCH_PARTS (ceilings,perf,setups,rtt: run only these; figures of the others are null and
# do not fail the run), BENCH_RESULTS_DIR (keep every raw JSON result line there). DOTNET_* runtime settings in the
# environment (e.g. DOTNET_TieredPGO=0) reach every C# process.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bytes="${BENCH_BYTES:-256MiB}"
repeat="${BENCH_REPEAT:-3}"
setups="${BENCH_SETUPS:-200}"
delay_ms="${BENCH_DELAY_MS:-20}"
rtt_trials="${BENCH_RTT_TRIALS:-5}"
chacha_seconds="${BENCH_CHACHA_SECONDS:-2}"
setups_timeout="${BENCH_SETUPS_TIMEOUT:-240}"
retries="${BENCH_RETRIES:-2}"
setup_retries="${BENCH_SETUP_RETRIES:-5}"
pause="${BENCH_PAUSE:-3}"
parts=",${BENCH_PARTS:-ceilings,perf,setups,rtt},"
part() { [[ "$parts" == *",$1,"* ]]; }

log() { echo "[$(date +%H:%M:%S)] bench: $*" >&2; }

work="$(mktemp -d)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() {
  failures=$((failures + 1))
  log "FAILED: $*"
}

log "building tests/Dione.Benchmarks (Release)..."
dotnet build "$root/tests/Dione.Benchmarks" -c Release -o "$root/.build/bench" -nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
bench=(dotnet "$root/.build/bench/Dione.Benchmarks.dll")
bash "$root/interop/js/install.sh" >&2
js="$root/interop/js"

# start NAME CMD...: runs CMD in the background (its own PID, stopped on exit) and waits for its "ready" line.
start() {
  local name="$1"
  shift
  "$@" </dev/null >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  pids+=("$pid")
  local _
  for _ in $(seq 1 300); do
    grep -q '"event":"ready"' "$work/$name.out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  log "$name did not start:"
  tail -20 "$work/$name.err" >&2
  exit 1
}
ready() { grep -m1 '"event":"ready"' "$work/$1.out" | jq -r "$2"; }

# capture FILE PATTERN CMD...: runs CMD (for at most $capture_seconds s, 300 unless set for the call), appends its
# last output line matching PATTERN to FILE.
# The line must be JSON without "ok":false. Returns 1 (and logs why) otherwise.
capture() {
  local file="$1" pattern="$2"
  shift 2
  local out="$work/last.out" err="$work/last.err" line
  if ! timeout --kill-after=5 "${capture_seconds:-300}" "$@" >"$out" 2>"$err"; then
    tail -5 "$err" >&2
    return 1
  fi
  line="$(grep -- "$pattern" "$out" | tail -1 || true)"
  if [[ -z "$line" ]] || [[ "$(jq -r '.ok // true' <<<"$line")" != true ]]; then
    { cat "$out"; tail -5 "$err"; } >&2
    return 1
  fi
  echo "$line" >>"$file"
}

# attempt NAME FILE PATTERN CMD...: capture, retried up to $retries times after a pause of $pause s; every failed
# attempt is logged and counted in "failed_runs". Returns 1 when all attempts failed.
attempt() {
  local name="$1" file="$2" pattern="$3" try
  shift 3
  for try in $(seq 1 $((retries + 1))); do
    capture "$file" "$pattern" "$@" && return 0
    fail "$name (attempt $try of $((retries + 1)))"
    sleep "$pause"
  done
  return 1
}

# runs FILE: how many result lines FILE holds (0 when absent).
runs() { if [[ -s "$1" ]]; then wc -l <"$1"; else echo 0; fi; }

# best FILE JQ-PATH / least FILE JQ-PATH: the largest / smallest value of the path over the lines of FILE, or null.
best() { if [[ -s "$1" ]]; then jq -s "[.[] | $2 | select(. != null)] | max" "$1"; else echo null; fi; }
least() { if [[ -s "$1" ]]; then jq -s "[.[] | $2 | select(. != null)] | min" "$1"; else echo null; fi; }

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- ceilings -----------------------------------------------------------------------------------------------
if part ceilings; then
  log "ChaCha20-Poly1305, one thread, ${chacha_seconds} s..."
  capture "$work/chacha.jsonl" '"mode":"chacha"' "${bench[@]}" chacha --seconds "$chacha_seconds" || fail chacha
  log "raw loopback TCP, $bytes..."
  for _ in $(seq 1 "$repeat"); do
    capture "$work/tcp.jsonl" '"mode":"tcp"' "${bench[@]}" tcp --bytes "$bytes" || fail tcp
  done
fi

# --- peers --------------------------------------------------------------------------------------------------
log "starting the C# listener and the js peer..."
start cs_listener "${bench[@]}" listen --lifetime-seconds 900
start js_peer node "$js/peer.mjs" --inbound-threshold 1000 --max-connections 10000 --max-pending 1000 \
  --allow /ip4/127.0.0.1/ipcidr/32 --ignore-stdin
cs_addr="$(ready cs_listener '.addrs[0]')"
js_addr="$(ready js_peer '.addrs[0]')"
js_peer_id="$(ready js_peer '.peerId')"
log "C# listener $cs_addr"
log "js peer     $js_addr"

# --- 1. throughput ------------------------------------------------------------------------------------------
part perf && for round in $(seq 1 "$repeat"); do
  log "perf round $round/$repeat ($bytes up, then $bytes down, after a warm-up): C#->C#, js->js, C#->js, js->C#..."
  capture "$work/perf_cs_cs.jsonl" '"mode":"perf-client"' \
    "${bench[@]}" perf-client "$cs_addr" --upload-bytes "$bytes" --download-bytes "$bytes" || fail "perf C#->C#"
  capture "$work/perf_js_js.jsonl" '"check":"perf"' \
    node "$js/dialer.mjs" "$js_addr" perf,perf --timeout 60 --upload-bytes "$bytes" --download-bytes "$bytes" || fail "perf js->js"
  capture "$work/perf_cs_js.jsonl" '"mode":"perf-client"' \
    "${bench[@]}" perf-client "$js_addr" --upload-bytes "$bytes" --download-bytes "$bytes" || fail "perf C#->js"
  capture "$work/perf_js_cs.jsonl" '"check":"perf"' \
    node "$js/dialer.mjs" "$cs_addr" perf,perf --timeout 60 --upload-bytes "$bytes" --download-bytes "$bytes" || fail "perf js->C#"
done

# --- 2. connection setups -----------------------------------------------------------------------------------
part setups && for round in $(seq 1 "$repeat"); do
  [[ "$round" -gt 1 ]] && sleep "$pause"
  log "setups round $round/$repeat: $setups sequential after $setups to warm up, C#->C# and js->js..."
  attempt "setups C#" "$work/setups_cs.jsonl" '"mode":"setups"' \
    "${bench[@]}" setups "$cs_addr" "$setups" --warmup "$setups" || true
  capture_seconds=$((2 * setups_timeout + 60)) attempt "setups js" "$work/setups_js.jsonl" '"check":"setups"' \
    node "$js/dialer.mjs" "$js_addr" setups,setups --timeout "$setups_timeout" --setups "$setups" \
    --setup-retries "$setup_retries" || true
done

# --- 3. round trips to the first stream byte ----------------------------------------------------------------
if part rtt; then
  log "round trips to the first byte through a ${delay_ms} ms one-way delay: C#->C#..."
  capture "$work/rtt_cs.jsonl" '"mode":"rtt"' "${bench[@]}" rtt --delay-ms "$delay_ms" --trials "$rtt_trials" || fail "rtt C#"
  log "... js->js and C#->js through the same proxy in front of the js peer..."
  start js_proxy "${bench[@]}" proxy "$js_addr" --delay-ms "$delay_ms" --lifetime-seconds 900
  js_proxied="$(ready js_proxy '.addr')/p2p/$js_peer_id"
  capture "$work/rtt_js.jsonl" '"check":"setups"' node "$js/dialer.mjs" "$js_proxied" setups --timeout 30 --setups "$rtt_trials" || fail "rtt js"
  capture "$work/rtt_cs_js.jsonl" '"mode":"setups"' "${bench[@]}" setups "$js_proxied" "$rtt_trials" --warmup 1 || fail "rtt C#->js"
fi

if [[ -n "${BENCH_RESULTS_DIR:-}" ]]; then
  mkdir -p "$BENCH_RESULTS_DIR"
  cp "$work"/*.jsonl "$BENCH_RESULTS_DIR"/
fi

# --- report -------------------------------------------------------------------------------------------------
summary="$(
  jq -n \
    --arg bytes "$bytes" --argjson repeat "$repeat" --argjson setups "$setups" --argjson delay "$delay_ms" \
    --argjson chacha "$(best "$work/chacha.jsonl" .bytesPerSecond)" \
    --argjson tcp "$(best "$work/tcp.jsonl" .bytesPerSecond)" \
    --argjson cs_cs_down "$(best "$work/perf_cs_cs.jsonl" .download.bytesPerSecond)" \
    --argjson cs_cs_up "$(best "$work/perf_cs_cs.jsonl" .upload.bytesPerSecond)" \
    --argjson js_js_down "$(best "$work/perf_js_js.jsonl" .download.bytesPerSecond)" \
    --argjson js_js_up "$(best "$work/perf_js_js.jsonl" .upload.bytesPerSecond)" \
    --argjson cs_js_down "$(best "$work/perf_cs_js.jsonl" .download.bytesPerSecond)" \
    --argjson cs_js_up "$(best "$work/perf_cs_js.jsonl" .upload.bytesPerSecond)" \
    --argjson js_cs_down "$(best "$work/perf_js_cs.jsonl" .download.bytesPerSecond)" \
    --argjson js_cs_up "$(best "$work/perf_js_cs.jsonl" .upload.bytesPerSecond)" \
    --argjson cs_setups "$(best "$work/setups_cs.jsonl" .setupsPerSecond)" \
    --argjson js_setups "$(best "$work/setups_js.jsonl" .setupsPerSecond)" \
    --argjson cs_setup_ms "$(least "$work/setups_cs.jsonl" .medianMs)" \
    --argjson js_setup_ms "$(least "$work/setups_js.jsonl" .medianMs)" \
    --argjson cs_rtt_ms "$(least "$work/rtt_cs.jsonl" .medianFirstByteMs)" \
    --argjson cs_connected_ms "$(least "$work/rtt_cs.jsonl" .medianConnectedMs)" \
    --argjson proxy_slack_ms "$(least "$work/rtt_cs.jsonl" .proxySlackMs)" \
    --argjson js_rtt_ms "$(least "$work/rtt_js.jsonl" .medianMs)" \
    --argjson cs_js_rtt_ms "$(least "$work/rtt_cs_js.jsonl" .medianMs)" \
    --argjson cs_setups_runs "$(runs "$work/setups_cs.jsonl")" --argjson js_setups_runs "$(runs "$work/setups_js.jsonl")" \
    --argjson cs_setups_counted "$(least "$work/setups_cs.jsonl" .setups)" \
    --argjson js_setups_counted "$(least "$work/setups_js.jsonl" .setups)" \
    --argjson js_failed_setups "$(if [[ -s "$work/setups_js.jsonl" ]]; then jq -s 'map(.failedSetups // 0) | add' "$work/setups_js.jsonl"; else echo null; fi)" \
    --argjson failures "$failures" '
    def mb: if . == null then null else (. / 1e6 * 10 | round / 10) end;
    def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else ($a / $b * 100 | round / 100) end;
    def rtts($ms): if $ms == null then null else ($ms / (2 * $delay) | round) end;
    def rtts_exact($ms): if $ms == null then null else ($ms / (2 * $delay) * 100 | round / 100) end;
    {
      throughput_vs_js: ratio($cs_cs_down; $js_js_down),
      throughput_vs_chacha: ratio($cs_cs_down; $chacha),
      setups_vs_js: ratio($cs_setups; $js_setups),
      rtts_to_first_byte: rtts($cs_rtt_ms),
      upload_vs_js: ratio($cs_cs_up; $js_js_up),
      throughput_vs_tcp: ratio($cs_cs_down; $tcp),
      cs_cs_download_MBps: ($cs_cs_down | mb), cs_cs_upload_MBps: ($cs_cs_up | mb),
      js_js_download_MBps: ($js_js_down | mb), js_js_upload_MBps: ($js_js_up | mb),
      cs_js_download_MBps: ($cs_js_down | mb), cs_js_upload_MBps: ($cs_js_up | mb),
      js_cs_download_MBps: ($js_cs_down | mb), js_cs_upload_MBps: ($js_cs_up | mb),
      tcp_loopback_MBps: ($tcp | mb), chacha20poly1305_1core_MBps: ($chacha | mb),
      cs_setups_per_s: $cs_setups, js_setups_per_s: $js_setups,
      cs_setup_median_ms: $cs_setup_ms, js_setup_median_ms: $js_setup_ms,
      rtt_ms: (2 * $delay),
      rtts_to_first_byte_exact: rtts_exact($cs_rtt_ms), rtts_to_connected_exact: rtts_exact($cs_connected_ms),
      proxy_slack_ms: $proxy_slack_ms,
      js_rtts_to_first_byte: rtts($js_rtt_ms), js_rtts_to_first_byte_exact: rtts_exact($js_rtt_ms),
      cs_to_js_rtts_to_first_byte: rtts($cs_js_rtt_ms), cs_to_js_rtts_to_first_byte_exact: rtts_exact($cs_js_rtt_ms),
      bytes: $bytes, best_of: $repeat, setups: $setups,
      cs_setups_measured_runs: $cs_setups_runs, js_setups_measured_runs: $js_setups_runs,
      cs_setups_per_run: $cs_setups_counted, js_setups_per_run: $js_setups_counted,
      js_failed_setups_in_measured_runs: $js_failed_setups,
      failed_runs: $failures
    }
    | . + {
      meets_throughput_vs_js: (if .throughput_vs_js == null then null else .throughput_vs_js >= 3 end),
      meets_throughput_vs_chacha: (if .throughput_vs_chacha == null then null else .throughput_vs_chacha >= 0.4 end),
      meets_setups_vs_js: (if .setups_vs_js == null then null else .setups_vs_js >= 3 end),
      meets_rtts_to_first_byte: (if .rtts_to_first_byte == null then null else .rtts_to_first_byte <= 3 end)
    }'
)"

f() { jq -r "if $1 == null then \"n/a\" else $1 end" <<<"$summary"; }
verdict() { case "$(f "$1")" in true) echo met ;; false) echo MISSED ;; *) echo "n/a" ;; esac; }
row() { printf '%-34s %16s  %-34s %7s  %-7s %s\n' "$@"; }

echo
echo "Dione transport benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "dotnet $(dotnet --version), node $(node --version); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$bytes per perf run, best of $repeat runs per figure, each side warmed up first; MB = 10^6 bytes"
echo
row "measure" "dione (C#)" "reference" "ratio" "target" ""
row "perf download C#->C#" "$(f .cs_cs_download_MBps) MB/s" "js->js $(f .js_js_download_MBps) MB/s" "$(f .throughput_vs_js)x" ">= 3x" "$(verdict .meets_throughput_vs_js)"
row "perf download C#->C#" "$(f .cs_cs_download_MBps) MB/s" "ChaCha20-Poly1305 $(f .chacha20poly1305_1core_MBps) MB/s" "$(f .throughput_vs_chacha)" ">= 0.4" "$(verdict .meets_throughput_vs_chacha)"
row "perf download C#->C#" "$(f .cs_cs_download_MBps) MB/s" "raw TCP $(f .tcp_loopback_MBps) MB/s" "$(f .throughput_vs_tcp)" "" ""
row "perf upload C#->C#" "$(f .cs_cs_upload_MBps) MB/s" "js->js $(f .js_js_upload_MBps) MB/s" "$(f .upload_vs_js)x" "" ""
row "perf download C#->js" "$(f .cs_js_download_MBps) MB/s" "js->C# $(f .js_cs_download_MBps) MB/s" "" "" ""
row "perf upload C#->js" "$(f .cs_js_upload_MBps) MB/s" "js->C# $(f .js_cs_upload_MBps) MB/s" "" "" ""
row "connection setups/s (sequential)" "$(f .cs_setups_per_s)/s" "js->js $(f .js_setups_per_s)/s" "$(f .setups_vs_js)x" ">= 3x" "$(verdict .meets_setups_vs_js)"
row "  median setup to first byte" "$(f .cs_setup_median_ms) ms" "js->js $(f .js_setup_median_ms) ms" "" "" ""
row "  runs measured (setups each)" "$(f .cs_setups_measured_runs) ($(f .cs_setups_per_run))" "js->js $(f .js_setups_measured_runs) ($(f .js_setups_per_run))" "" "" ""
row "  failed setups, retried" "" "js->js $(f .js_failed_setups_in_measured_runs)" "" "" ""
row "RTTs to first stream byte C#->C#" "$(f .rtts_to_first_byte) ($(f .rtts_to_first_byte_exact))" "js->js $(f .js_rtts_to_first_byte) ($(f .js_rtts_to_first_byte_exact))" "" "<= 3" "$(verdict .meets_rtts_to_first_byte)"
row "RTTs to first stream byte C#->js" "$(f .cs_to_js_rtts_to_first_byte) ($(f .cs_to_js_rtts_to_first_byte_exact))" "" "" "" ""
echo "  (RTT $(f .rtt_ms) ms through the delaying proxy, median of $rtt_trials; C#->C# connection ready after $(f .rtts_to_connected_exact) RTT;"
echo "   a plain TCP connect + 1-byte echo through the proxy takes $(f .proxy_slack_ms) ms more than its ideal 2 RTT)"
echo
jq -c . <<<"$summary"
# Missing figures of the parts that ran fail the run; a failed round whose pair was measured in another round does not.
required=()
[[ "$parts" == ",ceilings,perf,setups,rtt," ]] && mapfile -t required < <(jq -r 'keys[]' <<<"$summary")
part ceilings && required+=(chacha20poly1305_1core_MBps tcp_loopback_MBps)
part perf && required+=(cs_cs_download_MBps cs_cs_upload_MBps js_js_download_MBps js_js_upload_MBps cs_js_download_MBps \
  cs_js_upload_MBps js_cs_download_MBps js_cs_upload_MBps)
part setups && required+=(cs_setups_per_s js_setups_per_s setups_vs_js)
part rtt && required+=(rtts_to_first_byte js_rtts_to_first_byte cs_to_js_rtts_to_first_byte proxy_slack_ms)
part ceilings && part perf && required+=(throughput_vs_js throughput_vs_chacha throughput_vs_tcp upload_vs_js)
missing="$(jq -r --args '[$ARGS.positional[] as $k | select(.[$k] == null) | $k] | join(" ")' "${required[@]}" <<<"$summary")"
[[ -z "$missing" ]] || { log "missing figures: $missing"; exit 1; }
