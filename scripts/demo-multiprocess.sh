#!/usr/bin/env bash
# The `dione demo` story with real processes: one `dione daemon` per node (DEMO_NODES, 6 by default), all on
# 127.0.0.1, each joining through the first. Alice is the repo of node 2, Bob the repo of node 3. Bob's daemon
# publishes his prekeys; Alice adds Bob by his Dione address and writes; Bob learns Alice from her first message and
# replies; Bob's daemon is stopped (SIGTERM, by PID); Alice writes three messages; Bob's daemon starts again on his
# repo (a new process, new port) and his inbox receives them. Every message must be in its recipient's inbox exactly
# once (checked with `dione inbox --json`), else exit 1. Prints a transcript with timings. Nothing leaves 127.0.0.1;
# every process is stopped by PID on exit.
#
# Environment: DEMO_NODES (6), DEMO_WAIT_SECONDS (30: how long a message may take to arrive).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nodes="${DEMO_NODES:-6}"
wait_seconds="${DEMO_WAIT_SECONDS:-30}"
[ "$nodes" -ge 4 ] || { echo "DEMO_NODES must be at least 4" >&2; exit 2; }

# shellcheck source=lib.sh
source "$root/scripts/lib.sh"
dione_build
for command in address contact send inbox; do
  if ! dione --help 2>&1 | grep -q "^ *$command\b"; then
    echo "Error: this dione has no '$command' command yet (the messaging commands: address, contact, send, inbox)" >&2
    exit 2
  fi
done

now_ms() { date +%s%3N; }
start="$(now_ms)"
say() {
  local ms=$(($(now_ms) - start))
  printf '[%4d.%02ds] %s\n' $((ms / 1000)) $((ms % 1000 / 10)) "$*"
}
fail() { say "FAILED: $*"; exit 1; }

addrs=()
node_pid=()
# start_node I: starts the daemon of repo node I (joining through node 1 unless it is node 1) and waits until it is ready.
start_node() {
  local i="$1" repo="$work/node$1" join=()
  [ "$i" -gt 1 ] && join=(--bootstrap "${addrs[0]}")
  : >"$work/node$i.out"
  dione_background --repo "$repo" daemon --listen /ip4/127.0.0.1/tcp/0 --api /ip4/127.0.0.1/tcp/0 --poll-interval 500ms "${join[@]}" \
    >>"$work/node$i.out" 2>>"$work/node$i.err"
  node_pid[$i]="${pids[-1]}"
  wait_for "$work/node$i.out" "Daemon is ready" || { cat "$work/node$i.err" >&2; fail "node $i did not start"; }
  addrs[$((i - 1))]="$(grep -m1 -o '/ip4/127.0.0.1/tcp/[0-9]*/p2p/[A-Za-z0-9]*' "$work/node$i.out")"
}

# stop_node I: SIGTERM to node I's daemon, by PID, and waits for it to exit.
stop_node() {
  local pid="${node_pid[$1]}" kept=()
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}

# copies REPO TEXT: how many messages in REPO's inbox (`dione inbox --json`: an array, or one object a line) have TEXT
# as one of their fields.
copies() { dione --repo "$1" inbox --json | jq -s --arg t "$2" '[.. | objects | select([.[]? | strings] | index($t))] | length'; }

# receive REPO NAME TEXT SENT_AT: waits until TEXT is in REPO's inbox; prints the receipt with the time since sending.
receive() {
  local repo="$1" name="$2" text="$3" sent_at="$4" deadline=$((SECONDS + wait_seconds))
  until [ "$(copies "$repo" "$text")" -ge 1 ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$name did not receive '$text' within $wait_seconds s"
    sleep 0.2
  done
  say "$name received: $text ($(($(now_ms) - sent_at)) ms after sending)"
}

# send REPO NAME CONTACT TEXT: sends, retrying while the contact's prekeys are not yet found in the swarm; sets sent_at.
send() {
  local repo="$1" name="$2" contact="$3" text="$4" deadline=$((SECONDS + wait_seconds)) output
  sent_at="$(now_ms)"
  until output="$(dione --repo "$repo" send "$contact" "$text" 2>&1)"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$name could not send '$text': $output"
    sleep 0.5
  done
  say "$name → $contact: $text${output:+ ($(echo "$output" | tr '\n' ' ' | sed 's/ *$//'))}"
}

say "starting $nodes dione daemons on 127.0.0.1"
for i in $(seq 1 "$nodes"); do
  dione --repo "$work/node$i" init >/dev/null
  dione --repo "$work/node$i" bootstrap rm --all >/dev/null # the demo stays on 127.0.0.1
  start_node "$i"
done
say "daemons ready: ${addrs[*]##*/}"
alice="$work/node2"
bob="$work/node3"
bob_address="$(dione --repo "$bob" address)"
say "alice is the repo of node 2, bob of node 3; bob's Dione address is $bob_address"
dione --repo "$alice" contact add bob "$bob_address" >/dev/null
say "alice added bob as a contact"

send "$alice" alice bob "Hello Bob, this is Alice, one daemon per node."
receive "$bob" bob "Hello Bob, this is Alice, one daemon per node." "$sent_at"
alice_for_bob="$(dione --repo "$bob" inbox --json | jq -r -s '[.. | objects | (.contact // .Contact // .from // .From // empty) | strings] | first // empty')"
[ -n "$alice_for_bob" ] || alice_for_bob="$(dione --repo "$alice" address)"
say "bob learned alice from her first message as '$alice_for_bob'"
send "$bob" bob "$alice_for_bob" "Hi Alice! Got it."
receive "$alice" alice "Hi Alice! Got it." "$sent_at"

stop_node 3
say "bob went offline: node 3's daemon stopped"
offline=("Bob, are you there?" "I'll leave these in the swarm for you." "See you when you're back.")
offline_sent=()
for text in "${offline[@]}"; do
  send "$alice" alice bob "$text"
  offline_sent+=("$sent_at")
done
back="$(now_ms)"
start_node 3
say "bob is back: node 3's daemon started again on his repo, ${addrs[2]##*/} at ${addrs[2]%/p2p/*}"
for i in "${!offline[@]}"; do
  receive "$bob" bob "${offline[$i]}" "${offline_sent[$i]}"
done
say "bob had all three $(($(now_ms) - back)) ms after his daemon started"

for pair in "bob:Hello Bob, this is Alice, one daemon per node." "alice:Hi Alice! Got it." \
  "bob:${offline[0]}" "bob:${offline[1]}" "bob:${offline[2]}"; do
  repo="$work/node$([ "${pair%%:*}" = bob ] && echo 3 || echo 2)"
  n="$(copies "$repo" "${pair#*:}")"
  [ "$n" -eq 1 ] || fail "${pair%%:*}'s inbox holds '${pair#*:}' $n times, not once"
done
say "done: 5 messages, each in its recipient's inbox exactly once"
