#!/usr/bin/env bash
# Checks Dione against a real kubo node when `ipfs` is on PATH: connect both ways, ping both ways, identify both ways.
# Everything stays on 127.0.0.1; both processes are stopped by PID. Exits 0 when all checks pass or kubo is absent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v ipfs >/dev/null 2>&1; then
  echo "kubo interop: 'ipfs' is not on PATH; skipping (install kubo to run these checks)"
  exit 0
fi

# shellcheck source=../../scripts/lib.sh
source "$root/scripts/lib.sh"
dione_build
fail() { echo "kubo interop: FAIL: $*"; exit 1; }

export IPFS_PATH="$work/kubo"
ipfs init --profile=test >/dev/null
ipfs bootstrap rm --all >/dev/null
ipfs config --json Addresses.Swarm '["/ip4/127.0.0.1/tcp/0"]'
ipfs config Addresses.API /ip4/127.0.0.1/tcp/0
ipfs config Addresses.Gateway /ip4/127.0.0.1/tcp/0
ipfs config Routing.Type none
TEST_DHT_STUB=1 ipfs daemon >"$work/kubo.out" 2>&1 &
pids+=("$!")
wait_for "$work/kubo.out" "Daemon is ready" || fail "kubo did not start: $(cat "$work/kubo.out")"
kubo_id="$(ipfs id -f '<id>')"
kubo_addr="$(ipfs id -f '<addrs>' | grep -m1 '/ip4/127.0.0.1/tcp/')"
echo "kubo: $kubo_addr"

dione init --repo "$work/dione" >/dev/null
dione bootstrap rm --all --repo "$work/dione" >/dev/null
dione daemon --repo "$work/dione" --listen /ip4/127.0.0.1/tcp/0 >"$work/dione.out" 2>&1 &
pids+=("$!")
wait_for "$work/dione.out" "Daemon is ready" || fail "dione did not start: $(cat "$work/dione.out")"
dione_addr="$(grep -m1 -o '/ip4/127.0.0.1/tcp/[0-9]*/p2p/[A-Za-z0-9]*' "$work/dione.out")"
dione_id="${dione_addr##*/}"
echo "dione: $dione_addr"

echo "- kubo dials dione (kubo proposes /tls/1.0.0 first; we must answer na and agree on /noise)"
ipfs swarm connect "$dione_addr" || fail "kubo could not connect to dione"
echo "- kubo pings dione"
ipfs ping -n 3 "$dione_id" || fail "kubo could not ping dione"
echo "- kubo identifies dione"
ipfs id "$dione_id" >"$work/id.json" || fail "kubo could not identify dione"
grep -q '"AgentVersion": "dione/' "$work/id.json" || fail "kubo did not see dione's agent: $(cat "$work/id.json")"
grep -q '/ipfs/ping/1.0.0' "$work/id.json" || fail "kubo did not see dione's protocols"
echo "- dione pings kubo (fresh node, dials kubo)"
dione ping --count 3 "$kubo_addr" || fail "dione could not ping kubo"
echo "kubo interop: all checks passed (kubo $kubo_id)"
