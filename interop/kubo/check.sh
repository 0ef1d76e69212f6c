#!/usr/bin/env bash
# Checks Dione against real kubo nodes when `ipfs` is on PATH. Everything stays on 127.0.0.1; every process is
# stopped by PID. Exits 0 when all checks pass, or when kubo is not installed (then it says so and skips).
#
# Basic: kubo and Dione connect, ping and identify each other.
# DHT (/ipfs/kad/1.0.0), in a network of two kubo nodes (k1, k2; DHT servers) and two Dione daemons (d1, d2):
#   - Dione finds k2, which only k1 knows (a short-lived Dione node bootstraps from k1 alone);
#   - kubo (k1) finds d2, which only d1 knows;
#   - a kubo provide (k2) is found by a Dione find-providers, and a Dione provide (for d2) by a kubo findprovs;
#   - a /pk/ record put by Dione is got by kubo, and a /pk/ record kubo puts (publishing IPNS under an RSA key, whose
#     public key is not inlined in its peer id) is got by Dione, with the /ipns/ record beside it.
# kubo runs with TEST_DHT_STUB=1, which lifts its WAN DHT filters (public addresses only, IP diversity) so that
# loopback peers count; Dione's nodes allow private addresses on their own (loopback listeners or bootstrap peers).
# Written against kubo's CLI (`ipfs routing findpeer|findprovs|provide|get`, `ipfs name publish`, `ipfs key gen`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v ipfs >/dev/null 2>&1; then
  echo "kubo not installed; skipped (put kubo's 'ipfs' on PATH to run the kubo interop checks)"
  exit 0
fi

# shellcheck source=../../scripts/lib.sh
source "$root/scripts/lib.sh"
dione_build
fail() {
  echo "kubo interop: FAIL: $*"
  exit 1
}
# bounded dione|k1|k2 ARGS...: a command with a time bound, so that a DHT query that hangs fails its check instead of
# the run (timeout cannot run the shell functions themselves).
bounded() {
  local what="$1"
  shift
  case "$what" in
    dione) timeout 120 dotnet "$root/.build/dione/dione.dll" "$@" ;;
    k1 | k2) IPFS_PATH="$work/$what" timeout 120 ipfs "$@" ;;
    *) fail "bounded: unknown command $what" ;;
  esac
}

k1() { IPFS_PATH="$work/k1" ipfs "$@"; }
k2() { IPFS_PATH="$work/k2" ipfs "$@"; }

# start_kubo NAME: a kubo DHT server on 127.0.0.1 with no bootstrap peers; sets <NAME>_id and <NAME>_addr.
start_kubo() {
  local name="$1" repo="$work/$1"
  IPFS_PATH="$repo" ipfs init --profile=test >/dev/null
  IPFS_PATH="$repo" ipfs bootstrap rm --all >/dev/null
  IPFS_PATH="$repo" ipfs config --json Addresses.Swarm '["/ip4/127.0.0.1/tcp/0"]'
  IPFS_PATH="$repo" ipfs config Addresses.API /ip4/127.0.0.1/tcp/0
  IPFS_PATH="$repo" ipfs config Addresses.Gateway /ip4/127.0.0.1/tcp/0
  IPFS_PATH="$repo" ipfs config Routing.Type dhtserver
  IPFS_PATH="$repo" TEST_DHT_STUB=1 ipfs daemon >"$work/$name.out" 2>&1 &
  pids+=("$!")
  wait_for "$work/$name.out" "Daemon is ready" || fail "kubo $name did not start: $(cat "$work/$name.out")"
  local id addr
  id="$(IPFS_PATH="$repo" ipfs id -f '<id>')"
  addr="$(IPFS_PATH="$repo" ipfs id -f '<addrs>' | grep -m1 '/ip4/127.0.0.1/tcp/')" || fail "kubo $name has no 127.0.0.1 TCP address"
  printf -v "${name}_id" '%s' "$id"
  printf -v "${name}_addr" '%s' "$addr"
  echo "kubo $name: $addr"
}

# start_dione NAME [BOOTSTRAP]: a Dione DHT server daemon on 127.0.0.1; sets <NAME>_id and <NAME>_addr.
start_dione() {
  local name="$1" repo="$work/$1" join=()
  if [ "$#" -gt 1 ]; then join=(--bootstrap "$2"); fi
  dione init --repo "$repo" >/dev/null
  dione bootstrap rm --all --repo "$repo" >/dev/null
  dione daemon --repo "$repo" --listen /ip4/127.0.0.1/tcp/0 --dht-mode server "${join[@]}" >"$work/$name.out" 2>&1 &
  pids+=("$!")
  wait_for "$work/$name.out" "Daemon is ready" || fail "dione $name did not start: $(cat "$work/$name.out")"
  if [ "${#join[@]}" -gt 0 ]; then
    wait_for "$work/$name.out" "Bootstrapped with" || fail "dione $name did not bootstrap: $(cat "$work/$name.out")"
  fi
  local addr
  addr="$(grep -m1 -o '/ip4/127.0.0.1/tcp/[0-9]*/p2p/[A-Za-z0-9]*' "$work/$name.out")" || fail "dione $name printed no address"
  printf -v "${name}_id" '%s' "${addr##*/}"
  printf -v "${name}_addr" '%s' "$addr"
  echo "dione $name: $addr"
}

start_kubo k1
start_kubo k2
start_dione d1
start_dione d2 "$d1_addr"
# Set by start_kubo and start_dione through printf -v.
k1_id="${k1_id:?}" k1_addr="${k1_addr:?}" k2_id="${k2_id:?}" k2_addr="${k2_addr:?}"
d1_id="${d1_id:?}" d1_addr="${d1_addr:?}" d2_id="${d2_id:?}" d2_addr="${d2_addr:?}"

echo "== basic"
echo "- kubo dials dione (kubo proposes /tls/1.0.0 first; we must answer na and agree on /noise)"
k1 swarm connect "$d1_addr" || fail "kubo could not connect to dione"
echo "- kubo pings dione"
k1 ping -n 3 "$d1_id" || fail "kubo could not ping dione"
echo "- kubo identifies dione"
k1 id "$d1_id" >"$work/id.json" || fail "kubo could not identify dione"
grep -q '"AgentVersion": "dione/' "$work/id.json" || fail "kubo did not see dione's agent: $(cat "$work/id.json")"
grep -q '/ipfs/ping/1.0.0' "$work/id.json" || fail "kubo did not see dione's protocols"
grep -q '/ipfs/kad/1.0.0' "$work/id.json" || fail "kubo did not see that dione serves the DHT"
echo "- dione pings kubo (fresh node, dials kubo)"
dione ping --count 3 "$k1_addr" || fail "dione could not ping kubo"

echo "== DHT"
# k2 is known to k1 only; d2 to d1 only (it bootstrapped from d1 before any kubo node was around).
k2 swarm connect "$k1_addr" >/dev/null || fail "k2 could not connect to k1"
# Give kubo's own admission check (a FIND_NODE to each newcomer) time to put d1 and k2 into k1's table.
for _ in $(seq 1 50); do
  table="$(k1 stats dht wan 2>/dev/null || true)"
  if grep -q "$d1_id" <<<"$table" && grep -q "$k2_id" <<<"$table"; then break; fi
  sleep 0.2
done

echo "- dione finds k2, known only to k1 (a short-lived dione node bootstraps from k1)"
bounded dione routing findpeer --quiet --bootstrap "$k1_addr" "$k2_id" >"$work/findpeer-kubo.txt" \
  || fail "dione did not find k2: $(cat "$work/findpeer-kubo.txt")"
grep -q "${k2_addr%/p2p/*}" "$work/findpeer-kubo.txt" || fail "dione found k2 without its address: $(cat "$work/findpeer-kubo.txt")"

echo "- kubo (k1) finds d2, known only to d1"
bounded k1 routing findpeer "$d2_id" >"$work/findpeer-dione.txt" || fail "kubo did not find d2"
grep -q "${d2_addr%/p2p/*}" "$work/findpeer-dione.txt" || fail "kubo found d2 without its address: $(cat "$work/findpeer-dione.txt")"

echo "- a kubo provide (k2) is found by a dione find-providers"
kubo_cid="$(echo "dione-kubo interop $$ $RANDOM" | k2 add -q --pin=false)"
bounded k2 routing provide "$kubo_cid" || fail "kubo could not provide $kubo_cid"
bounded dione routing findprovs --quiet --num-providers 5 --bootstrap "$d1_addr" "$kubo_cid" >"$work/findprovs-dione.txt" \
  || fail "dione find-providers failed"
grep -qx "$k2_id" "$work/findprovs-dione.txt" || fail "dione did not find k2 providing $kubo_cid: $(cat "$work/findprovs-dione.txt")"

echo "- a dione provide (for d2) is found by a kubo findprovs"
dione_cid="$(echo "dione provides $$ $RANDOM" | k1 add -q --only-hash)"
bounded dione routing provide --quiet --repo "$work/d2" --bootstrap "$d1_addr" "$dione_cid" || fail "dione could not provide $dione_cid"
bounded k1 routing findprovs --num-providers 5 "$dione_cid" >"$work/findprovs-kubo.txt" || fail "kubo findprovs failed"
grep -qx "$d2_id" "$work/findprovs-kubo.txt" || fail "kubo did not find d2 providing $dione_cid: $(cat "$work/findprovs-kubo.txt")"

echo "- a /pk/ record put by dione is got by kubo"
dione id --repo "$work/d1" | sed -n 's/^PublicKey: *//p' | base64 -d >"$work/d1.pk"
[ -s "$work/d1.pk" ] || fail "dione id printed no public key"
bounded dione routing put --quiet --bootstrap "$k1_addr" "/pk/$d1_id" "$work/d1.pk" || fail "dione could not put /pk/$d1_id"
bounded k2 routing get "/pk/$d1_id" >"$work/d1.pk.kubo" || fail "kubo could not get /pk/$d1_id"
cmp -s "$work/d1.pk" "$work/d1.pk.kubo" || fail "kubo got another value for /pk/$d1_id"

echo "- a /pk/ record put by kubo (IPNS publish under an RSA key) is got by dione, and its /ipns/ record too"
rsa_id="$(k2 key gen --type=rsa --size=2048 --ipns-base=b58mh pkcheck)"
bounded k2 name publish --key=pkcheck "/ipfs/$kubo_cid" >/dev/null || fail "kubo could not publish under its RSA key"
bounded k1 routing get "/pk/$rsa_id" >"$work/rsa.pk.kubo" || fail "kubo (k1) could not get /pk/$rsa_id"
bounded dione routing get --quiet --bootstrap "$d1_addr" "/pk/$rsa_id" >"$work/rsa.pk.dione" || fail "dione could not get /pk/$rsa_id"
if [ ! -s "$work/rsa.pk.dione" ] || ! cmp -s "$work/rsa.pk.kubo" "$work/rsa.pk.dione"; then
  fail "dione got another value for /pk/$rsa_id"
fi
bounded dione routing get --quiet --bootstrap "$d1_addr" "/ipns/$rsa_id" >"$work/rsa.ipns.dione" || fail "dione could not get /ipns/$rsa_id"
[ -s "$work/rsa.ipns.dione" ] || fail "dione got an empty /ipns/$rsa_id record"

echo "kubo interop: all checks passed (kubo $k1_id and $k2_id, dione $d1_id and $d2_id)"
