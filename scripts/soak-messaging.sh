#!/usr/bin/env bash
# Messaging under churn (issue 10): a swarm of real `dione daemon` processes on 127.0.0.1, each on its own repo in a
# temporary folder, joining through nodes 1 and 2. The last 2 x PAIRS nodes are people, paired as contacts who
# exchanged Dione addresses; the others are holders, of which the first three ("long-lived") are never killed. Every
# person sends numbered messages to its contacts through the daemon's HTTP API (`dione/send`, as `dione send` does),
# one send in flight at a time, while a chaos loop
#   - kill -9s a random churn holder every few seconds and starts it again (same repo, new port) a few seconds later;
#   - kill -9s a person's daemon at random moments, three times in four during a send: a random delay after the request,
#     from 0 to as long as that person's last send took, so the kill lands before the commit, between the ratchet-state
#     commit and the end of the STOREs (the first attempt stores at r holders after the commit: most of a send's time),
#     or after the reply; the person's daemon starts again on its repo a few seconds later;
#   - now and then makes two people who are not yet contacts add each other and send their first messages at once
#     (a simultaneous first contact), after which they exchange messages like the others.
# Every daemon runs with DIONE_TEST_STORE_LOG: its holder logs every STORE it answers, refused ones included.
# Then a quiet drain: no more kills, every node up again, one last message on every pair in each direction, and a wait
# (bounded) until every person's outbox is empty and every accepted message arrived. The checks:
#   messages    accepted messages: a send that returned success, or one whose send failed (killed or timed out) but was
#               committed. The daemon answers a send only after committing it (MessageSender: ratchet state + outbox row
#               in one transaction, then the STOREs), and outbox ids come from an AUTOINCREMENT column, so they are
#               never reused: between two successful sends of one person with ids L and M, exactly M - L - 1 outbox rows
#               were committed, each an in-doubt send of that window (the only other rows are the messages a person
#               sends again after losing a simultaneous first contact: its messages to that contact up to its first
#               successful one, since a pair sends nothing more until both sides received one). A failed send that was
#               never committed (killed before its commit, refused) was never accepted.
#   lost        accepted messages that never reached their recipient's inbox (`dione/inbox`), plus committed in-doubt
#               sends of a window beyond those received (and beyond the possible resends above); such windows are
#               printed, since their rows' texts are unknown. The resend allowance holds only while each side of a
#               simultaneous first contact stops writing after its first successful send (next_send), as the daemon
#               sends again every message it wrote before it opened one from the other side
#   duplicates  extra copies of a message in its recipient's inbox
#   out_of_order messages that arrived after a later message of the same sender to the same recipient (reported, not a
#               failure: an envelope the outbox stores again after a crash may arrive after the next one)
#   out_of_sent_order messages a recipient cannot put in its sender's order: sorted by the send time each carries
#               (`Sent` in `dione/inbox`, from the sender's MessageContent), a sender's messages to one recipient must
#               come in the order they were written; a failure when not 0
#   key_reuse   distinct ratchet envelopes seen with one header nonce (the first 12 bytes of the address): a session
#               envelope's own address, or for an intro carrier the address of the ratchet envelope inside it. Intro
#               slots (two senders' carriers may meet there: the second gets CONFLICT) and prekey publications
#               (republished) are not ratchet addresses and are not counted. Refused STOREs count.
#   rss_growth_mb the largest growth of a long-lived node's resident memory between a sample after warm-up and the end
#   sends_few_holders successful sends whose reply wanted fewer holders than r = 5 (the sender knew fewer Dione peers)
#   sends_cut   sends a kill aimed at cut (their request failed); sends_cut_after_commit those of them that arrived, so
#               were committed: the kill landed between the commit and the reply (which follows the end of the first
#               STOREs after one database write), so nearly always while the STOREs were under way
# Progress on stderr; the LAST line on stdout is one JSON object. Exit 0 when lost, duplicates, key_reuse and out_of_sent_order are 0,
# 1 otherwise, 2 on bad arguments. Every process it starts is stopped by PID on exit; the temporary folder is removed.
#
# Options: --minutes N (10) --nodes N (30) --pairs N (5) --seed N (random). Environment: SOAK_DRAIN_SECONDS (300: the
# longest wait for the drain), SOAK_KEEP (a folder: keep the logs, ledgers, store logs and people's repos there), DIONE_DLL (run this
# dione.dll instead of building src/Dione.Cli).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

minutes=10
nodes=30
pairs=5
seed=$((RANDOM * 32768 + RANDOM))
usage() { echo "usage: $0 [--minutes N] [--nodes N] [--pairs N] [--seed N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
  --minutes | --nodes | --pairs | --seed)
    [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "Error: $1 takes a whole number" >&2; usage; }
    declare "${1#--}=$2"
    shift 2
    ;;
  -h | --help) usage ;;
  *) echo "Error: unknown argument '$1'" >&2; usage ;;
  esac
done
long_lived=3
[ "$minutes" -ge 1 ] || { echo "Error: --minutes must be at least 1" >&2; exit 2; }
[ "$pairs" -ge 1 ] || { echo "Error: --pairs must be at least 1" >&2; exit 2; }
[ "$nodes" -ge $((2 * pairs + long_lived + 1)) ] ||
  { echo "Error: --nodes must be at least 2 x pairs + $((long_lived + 1)) (people, $long_lived long-lived holders and one to kill)" >&2; exit 2; }
[ "$nodes" -le 200 ] || { echo "Error: --nodes is at most 200" >&2; exit 2; }
drain_seconds="${SOAK_DRAIN_SECONDS:-300}"
RANDOM=$((seed % 32768))

# shellcheck source=lib.sh
source "$root/scripts/lib.sh"

holders=$((nodes - 2 * pairs)) # nodes 1..holders; people are nodes holders+1..nodes (person p is node holders+p)
people=$((2 * pairs))
mkdir -p "$work/log" "$work/store" "$work/ledger" "$work/send"

now_ms() { local t="${EPOCHREALTIME/./}"; echo "${t:0:-3}"; }
t0="$(now_ms)"
say() {
  local ms=$(($(now_ms) - t0))
  printf '[%4d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2
}
fail() { say "FAILED: $*"; exit 1; }
rand() { echo $((RANDOM % ($2 - $1 + 1) + $1)); } # rand LOW HIGH: a whole number in [LOW, HIGH]
# running PID: whether PID is a process that has not exited (a zombie child has exited).
running() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
forget_pid() {
  local kept=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}

cleanup() {
  local p deadline=$((SECONDS + 30))
  trap - EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    while running "$p" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  if [ -n "${SOAK_KEEP:-}" ]; then
    mkdir -p "$SOAK_KEEP/people" && cp -r "$work/log" "$work/store" "$work/ledger" "$SOAK_KEEP/" || true
    # The people's repos (their messenger databases: outbox, sessions, inbox), to follow a missing message.
    for p in $(seq 1 "$people"); do cp -r "$work/node$((holders + p))" "$SOAK_KEEP/people/p$p" 2>/dev/null || true; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT # so that a stop by signal cleans up too
trap 'say "FAILED: unexpected error (exit $?) at line $LINENO"' ERR

if [ -n "${DIONE_DLL:-}" ]; then
  dll="$DIONE_DLL" # a dione already built (the CI test runs the one beside it)
else
  dione_build
  dll="$root/.build/dione/dione.dll"
fi

# --- nodes ---------------------------------------------------------------------------------------------------------
declare -a node_pid node_state node_api node_token node_out node_restart_at node_starts swarm_addr dione_addr
bootstrap_args() {
  local i="$1"
  if [ "$i" -eq 1 ]; then return; fi
  printf -- '--bootstrap\n%s\n' "${swarm_addr[1]}"
  if [ "$i" -gt 2 ]; then printf -- '--bootstrap\n%s\n' "${swarm_addr[2]}"; fi
}
# start_node I: starts node I's daemon in the background; check_node notices when it is ready.
start_node() {
  local i="$1" poll=2s args
  [ "$i" -gt "$holders" ] && poll=1s
  node_starts[i]=$((${node_starts[i]:-0} + 1))
  node_out[i]="$work/log/node$i.${node_starts[i]}.out"
  mapfile -t args < <(bootstrap_args "$i")
  DIONE_TEST_STORE_LOG="$work/store/node$i.jsonl" dotnet "$dll" --repo "$work/node$i" daemon \
    --listen /ip4/127.0.0.1/tcp/0 --api /ip4/127.0.0.1/tcp/0 --poll-interval "$poll" "${args[@]}" \
    >"${node_out[i]}" 2>"$work/log/node$i.${node_starts[i]}.err" &
  node_pid[i]=$!
  pids+=("$!")
  node_state[i]=starting
}
# check_node I: a starting node whose API answers becomes up; one that died is started again (at most 5 times in a row).
check_node() {
  local i="$1" out="${node_out[$1]}"
  if [ "${node_state[i]}" = up ] && ! running "${node_pid[i]}"; then
    crashes=$((crashes + 1))
    say "node $i died by itself (not killed): $(tail -3 "${out%.out}.err" | tr '\n' ' ')"
    wait "${node_pid[i]}" 2>/dev/null || true
    forget_pid "${node_pid[i]}"
    restarts_allowed[i]="${node_starts[i]}"
    start_node "$i"
  fi
  [ "${node_state[i]}" = starting ] || return 0
  if grep -q "Daemon is ready" "$out" 2>/dev/null; then
    node_api[i]="$(grep -m1 -o 'RPC API server listening on /ip4/127.0.0.1/tcp/[0-9]*' "$out" | grep -o '[0-9]*$')"
    node_token[i]="$(cat "$work/node$i/api.token")"
    [ -n "${swarm_addr[i]:-}" ] || swarm_addr[i]="$(grep -m1 -o '/ip4/127.0.0.1/tcp/[0-9]*/p2p/[A-Za-z0-9]*' "$out")"
    [ -n "${dione_addr[i]:-}" ] || dione_addr[i]="$(grep -m1 -o 'Dione address: [^ ]*' "$out" | cut -d' ' -f3)"
    node_state[i]=up
  elif ! running "${node_pid[i]}"; then
    wait "${node_pid[i]}" 2>/dev/null || true
    forget_pid "${node_pid[i]}"
    [ "${node_starts[i]}" -lt $((restarts_allowed[i] + 5)) ] || { cat "$work/log/node$i.${node_starts[i]}.err" >&2; fail "node $i does not start"; }
    say "node $i exited while starting; starting it again"
    start_node "$i"
  fi
}
declare -a restarts_allowed
crashes=0
kill_node() {
  local i="$1" pid="${node_pid[$1]}"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
  node_state[i]=down
  node_api[i]=""
  restarts_allowed[i]="${node_starts[i]}"
}
wait_up() { # wait_up I...: waits (bounded: 300 s for them all, starting many dotnet processes at once is slow) until the nodes are up
  local deadline=$((SECONDS + 300)) i
  for i in "$@"; do
    until [ "${node_state[i]}" = up ]; do
      [ "$SECONDS" -lt "$deadline" ] || fail "node $i not up within 300 s"
      check_node "$i"
      [ "${node_state[i]}" = up ] || sleep 0.1
    done
  done
}
api() { # api I COMMAND [QUERY]: POST /api/v0/COMMAND?QUERY to node I; the body on stdout, fails unless HTTP 200
  curl -sf --max-time 30 -H "Authorization: Bearer ${node_token[$1]}" -X POST "http://127.0.0.1:${node_api[$1]}/api/v0/$2${3:+?$3}"
}

say "seed $seed: $nodes daemons on 127.0.0.1 ($holders holders, $long_lived of them long-lived; $people people in $pairs pairs), $minutes min"
# in_batches COMMAND...: runs `dione --repo REPO COMMAND...` for every node's repo, four at a time; fails if one fails.
in_batches() {
  local i batch=() p
  for i in $(seq 1 "$nodes"); do
    dotnet "$dll" --repo "$work/node$i" "$@" >/dev/null &
    batch+=("$!")
    pids+=("$!")
    if [ "${#batch[@]}" -eq 4 ] || [ "$i" -eq "$nodes" ]; then
      for p in "${batch[@]}"; do
        wait "$p" || fail "'dione $*' failed for a repo"
        forget_pid "$p"
      done
      batch=()
    fi
  done
}
in_batches init
in_batches bootstrap rm --all # only 127.0.0.1: the bootstrap peers are the swarm's own
for i in $(seq 1 "$nodes"); do restarts_allowed[i]=0; done
start_node 1
wait_up 1
start_node 2
wait_up 2
for i in $(seq 3 "$nodes"); do start_node "$i"; done
wait_up $(seq 3 "$nodes")
person_node() { echo $((holders + $1)); }

# People publish their prekeys once they joined; wait (bounded) until each did before anyone writes to them.
deadline=$((SECONDS + 180))
for p in $(seq 1 "$people"); do
  i="$(person_node "$p")"
  until api "$i" dione/status 2>/dev/null | jq -e '.PrekeysPublished != null' >/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "person $p (node $i) did not publish its prekeys within 180 s"
    sleep 0.5
  done
done
say "swarm up; every person published its prekeys"

# --- contacts --------------------------------------------------------------------------------------------------------
active=()        # "A B": contacts who exchange messages
declare -A known=() # "A B" and "B A" for every pair of contacts
# "A B" -> who may write while the pair's first contact is not settled: A (an ordinary first contact, settled when B
# received a message from A) or "none" (a simultaneous first contact, settled when both received the other's first).
declare -A waiting_first=()
add_contacts() { # add_contacts A B: A and B add each other (named pA, pB)
  local a="$1" b="$2"
  api "$(person_node "$a")" dione/contact/add "arg=p$b&arg=${dione_addr[$(person_node "$b")]}" >/dev/null || fail "p$a could not add p$b"
  api "$(person_node "$b")" dione/contact/add "arg=p$a&arg=${dione_addr[$(person_node "$a")]}" >/dev/null || fail "p$b could not add p$a"
  known["$a $b"]=1
  known["$b $a"]=1
}
for k in $(seq 1 "$pairs"); do
  add_contacts $((2 * k - 1)) $((2 * k))
  active+=("$((2 * k - 1)) $((2 * k))")
  waiting_first["$((2 * k - 1)) $((2 * k))"]=$((2 * k - 1)) # an ordinary first contact: only the first writes until the other has it
done
sims=0

# --- sends -----------------------------------------------------------------------------------------------------------
declare -a send_pid send_to send_n send_final send_ms
declare -A next_n=()
declare -A sent_ok=() # "P Q": a send from P to Q succeeded
# start_send P Q: P's next numbered message to Q, through P's daemon's API, in the background; finish_send records it.
start_send() {
  local p="$1" q="$2" n text
  n="${next_n["$p $q"]:-1}"
  next_n["$p $q"]=$((n + 1))
  text="soak-p$p-p$q-$n"
  curl -s --max-time 60 -o "$work/send/p$p.body" -w '%{http_code} %{time_total}' -H "Authorization: Bearer ${node_token[$(person_node "$p")]}" -X POST \
    "http://127.0.0.1:${node_api[$(person_node "$p")]}/api/v0/dione/send?arg=p$q&arg=$text" >"$work/send/p$p.code" 2>/dev/null &
  send_pid[p]=$!
  pids+=("$!")
  send_to[p]="$q"
  send_n[p]="$n"
}
sends_ok=0
sends_failed=0
sends_few_holders=0
# finish_send P: when P's send is over, appends it to P's ledger: "Q N ok ID MS STORED WANTED" (the holders that
# acknowledged its first attempt, of how many were wanted) or "Q N fail CODE MS" (MS: how long the request took).
finish_send() {
  local p="$1" pid="${send_pid[$1]:-}" code seconds took id stored wanted
  [ -n "$pid" ] && ! running "$pid" || return 0
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
  send_pid[p]=""
  code="" seconds=""
  read -r code seconds <"$work/send/p$p.code" || true
  took="$(awk -v s="${seconds:-0}" 'BEGIN { printf "%d", s * 1000 }')"
  id="" stored="" wanted=""
  read -r id stored wanted < <(jq -r '"\(.Id // "") \(.Stored // "") \(.Wanted // "")"' "$work/send/p$p.body" 2>/dev/null || true) || true
  if [ "$code" = 200 ] && [[ "$id $stored $wanted" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]]; then
    echo "${send_to[p]} ${send_n[p]} ok $id $took $stored $wanted" >>"$work/ledger/p$p"
    send_ms[p]="$took"
    # A success that wanted fewer holders than r (5) although the swarm has more nodes: the sender saw fewer Dione peers.
    [ "$wanted" -ge $((nodes < 5 ? nodes : 5)) ] || sends_few_holders=$((sends_few_holders + 1))
    sent_ok["$p ${send_to[p]}"]=1
    sends_ok=$((sends_ok + 1))
    [ -z "${send_final[p]:-}" ] || unset "final_due[$p ${send_to[p]}]"
  else
    echo "${send_to[p]} ${send_n[p]} fail ${code:-none} $took" >>"$work/ledger/p$p"
    sends_failed=$((sends_failed + 1))
  fi
  rm -f "$work/send/p$p.code" "$work/send/p$p.body"
}
person_up() { [ "${node_state[$(person_node "$1")]}" = up ]; }
idle() { [ -z "${send_pid[$1]:-}" ]; }
# received_from P Q: how many of Q's messages P's inbox holds (used to release a simultaneous first contact).
received_from() {
  local n
  n="$(api "$(person_node "$1")" dione/inbox 2>/dev/null | jq -s --arg f "p$2" '[.[] | select(.From == $f)] | length')" || n=0
  echo "$n"
}
# next_send P: P starts a send to a random contact of an active pair, unless that pair still waits for its first messages.
next_send() {
  local p="$1" choices=() pair a b
  for pair in "${active[@]}"; do
    read -r a b <<<"$pair"
    case "${waiting_first[$pair]:-}" in
    "") ;;
    none)
      if [ "$(received_from "$a" "$b")" -ge 1 ] && [ "$(received_from "$b" "$a")" -ge 1 ]; then
        unset "waiting_first[$pair]"
      elif { [ "$p" = "$a" ] && [ -n "${sent_ok["$a $b"]:-}" ]; } || { [ "$p" = "$b" ] && [ -n "${sent_ok["$b $a"]:-}" ]; }; then
        continue # each writes until one of its sends succeeded, then waits for the other's first message
      fi
      ;;
    *)
      if [ "$(received_from "$b" "$a")" -ge 1 ]; then
        unset "waiting_first[$pair]"
      elif [ "$p" != "$a" ] || [ -n "${sent_ok["$a $b"]:-}" ]; then
        continue # the first writes until a send succeeded, then the pair waits for that message to arrive
      fi
      ;;
    esac
    [ "$a" = "$p" ] && choices+=("$b")
    [ "$b" = "$p" ] && choices+=("$a")
  done
  [ "${#choices[@]}" -gt 0 ] || return 0
  start_send "$p" "${choices[$((RANDOM % ${#choices[@]}))]}"
}

# --- chaos -----------------------------------------------------------------------------------------------------------
holder_kills=0
person_kills=0
inflight_kills=0
declare -A rss_warm=()
rss_sampled=""
rss_of() { awk '/^VmRSS:/ { print $2 }' "/proc/${node_pid[$1]}/status" 2>/dev/null || echo 0; }
run_seconds=$((minutes * 60))
warm_at=$((SECONDS + (run_seconds / 5 > 30 ? run_seconds / 5 : 30)))
end_at=$((SECONDS + run_seconds))
next_holder_kill=$((SECONDS + $(rand 2 5)))
next_person_kill=$((SECONDS + $(rand 4 8)))
next_sim=$((SECONDS + run_seconds / 5))
sim_every=$((run_seconds / 4 > 20 ? run_seconds / 4 : 20))
say "traffic and chaos for $run_seconds s"
while [ "$SECONDS" -lt "$end_at" ]; do
  for i in $(seq 1 "$nodes"); do check_node "$i"; done
  now="$(now_ms)"
  # Restart what is due.
  for i in $(seq 1 "$nodes"); do
    if [ "${node_state[i]}" = down ] && [ "$now" -ge "${node_restart_at[i]}" ]; then start_node "$i"; fi
  done
  for p in $(seq 1 "$people"); do
    finish_send "$p"
    if idle "$p" && person_up "$p"; then next_send "$p"; fi
  done
  if [ -z "$rss_sampled" ] && [ "$SECONDS" -ge "$warm_at" ]; then
    for i in $(seq 1 "$long_lived"); do rss_warm[$i]="$(rss_of "$i")"; done
    rss_sampled=1
    say "warm-up RSS of the long-lived nodes (kB): ${rss_warm[*]}"
  fi
  if [ "$SECONDS" -ge "$next_holder_kill" ]; then
    i=$(rand $((long_lived + 1)) "$holders")
    if [ "${node_state[i]}" = up ]; then
      kill_node "$i"
      node_restart_at[i]=$((now + $(rand 1000 6000)))
      holder_kills=$((holder_kills + 1))
    fi
    next_holder_kill=$((SECONDS + $(rand 2 6)))
  fi
  if [ "$SECONDS" -ge "$next_person_kill" ]; then
    p=$(rand 1 "$people")
    i="$(person_node "$p")"
    if [ "${node_state[i]}" = up ]; then
      if [ $((RANDOM % 4)) -ne 0 ]; then
        # Three kills in four during a send: the person's send under way ends (bounded), a new one starts, and the
        # daemon is killed at a random moment of it: 0 ms to as long as the person's last successful send took (600 ms
        # before the first). The commit comes early in a send, the STOREs take most of it: most kills land between.
        deadline=$((SECONDS + 60))
        until { finish_send "$p"; idle "$p"; } || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.05; done
        idle "$p" && next_send "$p"
        if ! idle "$p"; then
          delay="$(rand 0 "${send_ms[p]:-600}")"
          sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
          echo "{\"type\":\"cut\",\"text\":\"soak-p$p-p${send_to[p]}-${send_n[p]}\"}" >>"$work/ledger/cut"
          inflight_kills=$((inflight_kills + 1))
        fi
      fi
      kill_node "$i"
      node_restart_at[i]=$(($(now_ms) + $(rand 1000 4000)))
      person_kills=$((person_kills + 1))
    fi
    next_person_kill=$((SECONDS + $(rand 3 8)))
  fi
  if [ "$SECONDS" -ge "$next_sim" ]; then
    # Two people who are not contacts yet, both up and idle, add each other and write first at the same moment.
    candidates=()
    for a in $(seq 1 "$people"); do
      for b in $(seq $((a + 1)) "$people"); do
        if [ -z "${known["$a $b"]:-}" ] && person_up "$a" && person_up "$b"; then candidates+=("$a $b"); fi
      done
    done
    if [ "${#candidates[@]}" -gt 0 ]; then
      read -r a b <<<"${candidates[$((RANDOM % ${#candidates[@]}))]}"
      deadline=$((SECONDS + 90))
      until { finish_send "$a"; finish_send "$b"; idle "$a" && idle "$b"; }; do
        [ "$SECONDS" -lt "$deadline" ] || fail "sends of p$a and p$b did not end within 90 s"
        sleep 0.1
      done
      if person_up "$a" && person_up "$b"; then
        add_contacts "$a" "$b"
        start_send "$a" "$b"
        start_send "$b" "$a"
        active+=("$a $b")
        waiting_first["$a $b"]=none
        echo "$a $b" >>"$work/ledger/simultaneous"
        sims=$((sims + 1))
        say "simultaneous first contact: p$a and p$b"
      fi
      next_sim=$((SECONDS + sim_every))
    else
      next_sim=$((SECONDS + 1)) # no two strangers up at the moment: try again soon
    fi
  fi
  sleep 0.2
done
say "chaos over: $holder_kills holder kills, $person_kills person kills ($inflight_kills during a send), $sims simultaneous first contacts; $sends_ok sends succeeded, $sends_failed failed"

# --- drain -----------------------------------------------------------------------------------------------------------
# No more kills: every node up, every send over, then one last message on every pair in each direction (retried until
# one succeeds), so that each person's last ledger entry is a success and every in-doubt send is resolved.
drain_deadline=$((SECONDS + drain_seconds))
for i in $(seq 1 "$nodes"); do [ "${node_state[i]}" != down ] || start_node "$i"; done
wait_up $(seq 1 "$nodes")
declare -A final_due=()
for pair in "${active[@]}"; do
  read -r a b <<<"$pair"
  final_due["$a $b"]=1
  final_due["$b $a"]=1
done
until [ "${#final_due[@]}" -eq 0 ]; do
  [ "$SECONDS" -lt "$drain_deadline" ] || fail "the last messages could not be sent within $drain_seconds s (left: ${!final_due[*]})"
  for p in $(seq 1 "$people"); do
    finish_send "$p"
    idle "$p" || continue
    for due in "${!final_due[@]}"; do
      read -r a b <<<"$due"
      if [ "$a" = "$p" ]; then
        send_final[p]=1
        start_send "$a" "$b"
        break
      fi
    done
  done
  sleep 0.2
done
say "last messages sent; waiting for every outbox to empty and every accepted message to arrive"

# The ledgers and inboxes as JSON lines for the checker.
gather() {
  local p
  : >"$work/records.jsonl"
  for p in $(seq 1 "$people"); do
    [ -f "$work/ledger/p$p" ] && awk -v p="$p" '{ printf "{\"type\":\"send\",\"from\":%s,\"to\":%s,\"n\":%s,\"ok\":%s,\"id\":%s,\"text\":\"soak-p%s-p%s-%s\"}\n", p, $1, $2, ($3 == "ok" ? "true" : "false"), ($3 == "ok" ? $4 : "null"), p, $1, $2 }' "$work/ledger/p$p" >>"$work/records.jsonl"
    api "$(person_node "$p")" dione/inbox | jq -c --argjson to "$p" '{type: "recv", to: $to, id: .Id, from: .From, text: .Text, sent: .Sent}' >>"$work/records.jsonl" ||
      return 1
  done
  if [ -f "$work/ledger/cut" ]; then cat "$work/ledger/cut" >>"$work/records.jsonl"; fi
  if [ -f "$work/ledger/simultaneous" ]; then
    awk '{ printf "{\"type\":\"sim\",\"a\":%s,\"b\":%s}\n", $1, $2 }' "$work/ledger/simultaneous" >>"$work/records.jsonl"
  fi
}
# The checker: see the header for what each figure means.
check_program='
  map(select(.type == "send")) as $sends
  | map(select(.type == "recv" and (.text | startswith("soak-")))) as $recvs
  | ($recvs | group_by(.text) | map({key: .[0].text, value: length}) | from_entries) as $copies
  | ($sends | group_by(.from) | map(
      .[0].from as $p
      # What P may have sent again after losing a simultaneous first contact with Q: its messages to Q up to its
      # first send to Q that succeeded (the pair sends nothing more until both first messages arrived).
      | . as $mine
      | ([$sims[] | select(.a == $p or .b == $p) | (if .a == $p then .b else .a end) as $q
          | [$mine[] | select(.to == $q)] | (map(.ok) | index(true)) as $first | if $first == null then length else $first + 1 end]
         | add // 0) as $allow
      | reduce .[] as $s ({last: 0, doubt: [], lost: 0, resends: 0, anomalies: 0, committed_doubt: 0, accepted: [],
                           allow: $allow, windows: []};
          if $s.ok then
            ($s.id - .last - 1) as $committed
            | [.doubt[] | select(($copies[.text] // 0) > 0)] as $got
            | ($committed - ($got | length)) as $extra
            | (if $extra > 0 then ([$extra, .allow] | min) else 0 end) as $resent
            | .resends += $resent | .allow -= $resent
            | .lost += ([$extra - $resent, 0] | max)
            | (if $extra > $resent then .windows += [{person: $p, before_outbox_id: $s.id, committed: $committed,
                  arrived: ($got | length), resends_allowed: $resent, in_doubt: [.doubt[].text]}] else . end)
            | .anomalies += ([0 - $extra, 0] | max)
            | .committed_doubt += ([$committed - $resent, 0] | max)
            | .accepted += $got + [$s] | .last = $s.id | .doubt = []
          else .doubt += [$s] end)
      | {lost_in_doubt: .lost, resends: .resends, anomalies: .anomalies, committed_doubt: .committed_doubt,
         unresolved: (.doubt | length), accepted: .accepted, windows: .windows})) as $per
  | ([$per[].accepted[]]) as $accepted
  | ([$accepted[] | .text] | map({key: ., value: true}) | from_entries) as $is_accepted
  | ([.[] | select(.type == "cut") | .text] | map({key: ., value: true}) | from_entries) as $cut
  | [$sends[] | select((.ok | not) and $cut[.text])] as $cut_sends
  | {
      messages: ($accepted | length),
      lost: (([$accepted[] | select(($copies[.text] // 0) == 0)] | length) + ([$per[].lost_in_doubt] | add // 0)),
      duplicates: ([$copies[] | select(. > 1) | . - 1] | add // 0),
      late_messages: ($recvs | map(. + {n: (.text | split("-") | .[3] | tonumber)}) | group_by([.to, .from])
                      | map(sort_by(.id) | reduce .[] as $m ({max: 0, late: []}; if $m.n < .max then .late += [$m.text] else .max = $m.n end) | .late[])),
      # Sorted by the send time each message carries (ISO 8601 text, one offset: it sorts as text).
      sent_order_breaks: ($recvs | map(. + {n: (.text | split("-") | .[3] | tonumber)}) | group_by([.to, .from])
                          | map(sort_by(.sent) | reduce .[] as $m ({max: 0, bad: []}; if $m.n < .max then .bad += [$m.text] else .max = $m.n end) | .bad[])),
      unexpected: ([$recvs[] | select($is_accepted[.text] | not)] | length),
      lost_messages: [$accepted[] | select(($copies[.text] // 0) == 0) | .text],
      # Outbox rows committed between two successful sends beyond the in-doubt sends of that window that arrived and
      # the resends allowed: each counts as lost (its text is unknown: an outbox row does not say which message it is).
      lost_in_doubt_windows: [$per[].windows[]],
      sends_in_doubt_committed: ([$per[].committed_doubt] | add // 0),
      # Kills aimed at a send in flight: how many cut it (its request failed), and how many of those had committed it
      # (it arrived), i.e. landed between the commit and the reply, which follows the end of the first STOREs.
      sends_cut: ($cut_sends | length),
      sends_cut_after_commit: ([$cut_sends[] | select(($copies[.text] // 0) > 0)] | length),
      resends_assumed: ([$per[].resends] | add // 0),
      anomalies: ([$per[].anomalies] | add // 0),
      unresolved: ([$per[].unresolved] | add // 0)
    }'
check() {
  gather && jq -s "$check_program" --argjson sims "$(jq -s -c 'map(select(.type == "sim"))' "$work/records.jsonl")" \
    "$work/records.jsonl" >"$work/check.json"
}
pending_sends() {
  local p total=0 n
  for p in $(seq 1 "$people"); do
    n="$(api "$(person_node "$p")" dione/status | jq -r '.PendingSends')" || n=1
    total=$((total + n))
  done
  echo "$total"
}
until check && [ "$(jq -r '.lost' "$work/check.json")" -eq 0 ] && [ "$(pending_sends)" -eq 0 ]; do
  if [ "$SECONDS" -ge "$drain_deadline" ]; then
    say "drain: gave up after $drain_seconds s with $(jq -r '.lost' "$work/check.json" 2>/dev/null || echo '?') messages missing and $(pending_sends) pending sends"
    break
  fi
  sleep 2
done
check || fail "could not read the inboxes"
say "drained"

rss_growth_kb=""
rss_end=()
for i in $(seq 1 "$long_lived"); do
  end="$(rss_of "$i")"
  rss_end+=("$end")
  growth=$((end - ${rss_warm[$i]:-$end}))
  [ -n "$rss_growth_kb" ] && [ "$growth" -le "$rss_growth_kb" ] || rss_growth_kb="$growth"
done
say "end RSS of the long-lived nodes (kB): ${rss_end[*]}"

# Stop every daemon (SIGTERM, by PID) so that the store logs are complete, then look for reused header nonces.
for i in $(seq 1 "$nodes"); do [ "${node_state[i]}" = down ] || kill "${node_pid[i]}" 2>/dev/null || true; done
for i in $(seq 1 "$nodes"); do
  [ "${node_state[i]}" = down ] && continue
  deadline=$((SECONDS + 30))
  while running "${node_pid[i]}" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  kill -9 "${node_pid[i]}" 2>/dev/null || true
  wait "${node_pid[i]}" 2>/dev/null || true
  forget_pid "${node_pid[i]}"
  node_state[i]=down
done
cat "$work"/store/*.jsonl >"$work/stores.jsonl" 2>/dev/null || true
reuse="$(jq -s -c '
  [.[] | if .kind == "session" then {nonce: .address[0:24], sha: .sha256, outcome}
         elif .kind == "carrier" then {nonce: .inner_address[0:24], sha: .inner_sha256, outcome}
         else empty end]
  | group_by(.nonce) | map(select((map(.sha) | unique | length) > 1))' "$work/stores.jsonl")"
key_reuse="$(jq 'length' <<<"$reuse")"
[ "$key_reuse" -eq 0 ] || say "key reuse at: $(jq -c '.[:5]' <<<"$reuse")"
stores="$(jq -s -c '{stores_observed: length, stores_refused: map(select(.outcome != "Ok")) | length,
  stores_session: map(select(.kind == "session")) | length, stores_carrier: map(select(.kind == "carrier")) | length}' "$work/stores.jsonl")"
lost_list="$(jq -c '.lost_messages' "$work/check.json")"
if [ "$lost_list" != "[]" ]; then
  say "lost: $lost_list"
  for text in $(jq -r '.[]' <<<"$lost_list"); do
    IFS=- read -r _ from to n <<<"$text"
    say "  $text: ledger of $from: $(awk -v to="${to#p}" -v n="$n" '$1 == to && $2 == n' "$work/ledger/$from") (to n ok ID ms stored wanted)"
  done
fi
[ "$(jq '.lost_in_doubt_windows | length' "$work/check.json")" -eq 0 ] ||
  say "outbox rows committed in a window that no arrival or allowed resend explains (counted as lost): $(jq -c '.lost_in_doubt_windows' "$work/check.json")"
[ "$(jq '.sent_order_breaks | length' "$work/check.json")" -eq 0 ] || say "cannot be put in their sender's order: $(jq -c '.sent_order_breaks' "$work/check.json")"
[ "$(jq '.late_messages | length' "$work/check.json")" -eq 0 ] || say "arrived after a later message of their sender: $(jq -c '.late_messages' "$work/check.json")"
say "send durations (ms, successful sends): $(cat "$work"/ledger/p* | awk '$3 == "ok" { print $5 }' | sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "median %d, p90 %d, max %d", a[int((NR + 1) / 2)], a[int(NR * 0.9 + 0.5)], a[NR] }')"

jq -c -n --argjson check "$(cat "$work/check.json")" --argjson stores "$stores" \
  --argjson minutes "$minutes" --argjson nodes "$nodes" --argjson pairs "$pairs" --argjson seed "$seed" \
  --argjson key_reuse "$key_reuse" --argjson holder_kills "$holder_kills" --argjson person_kills "$person_kills" \
  --argjson inflight_kills "$inflight_kills" --argjson sims "$sims" --argjson rss_kb "$rss_growth_kb" \
  --argjson sends_ok "$sends_ok" --argjson sends_failed "$sends_failed" --argjson crashes "$crashes" --argjson few "$sends_few_holders" '
  {minutes: $minutes, messages: $check.messages, lost: $check.lost, duplicates: $check.duplicates, key_reuse: $key_reuse,
   kills: ($holder_kills + $person_kills), rss_growth_mb: (($rss_kb / 102.4 | round) / 10),
   nodes: $nodes, pairs: $pairs, seed: $seed, holder_kills: $holder_kills, person_kills: $person_kills,
   kills_during_send: $inflight_kills, sends_cut: $check.sends_cut, sends_cut_after_commit: $check.sends_cut_after_commit,
   sends_in_doubt_committed: $check.sends_in_doubt_committed,
   simultaneous_first_contacts: $sims, sends_ok: $sends_ok, sends_failed: $sends_failed,
   out_of_order: ($check.late_messages | length), out_of_sent_order: ($check.sent_order_breaks | length), unexpected: $check.unexpected, resends_assumed: $check.resends_assumed,
   anomalies: $check.anomalies, unresolved: $check.unresolved, crashes: $crashes,
   sends_few_holders: $few} + $stores' | tee "$work/result.json"
failures="$(jq -r '[("lost", "duplicates", "key_reuse", "out_of_sent_order") as $k | select(.[$k] != 0) | "\($k) \(.[$k])"] | join(", ")' "$work/result.json")"
[ -z "$failures" ] || fail "$failures"
