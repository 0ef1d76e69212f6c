#!/usr/bin/env bash
# Checks Dione against go-libp2p when the go-libp2p daemon (`p2pd`, from go-libp2p-daemon) is on PATH:
# dione dials it over TCP + Noise + Yamux and pings it. No Go toolchain or Go modules are fetched here.
# Everything stays on 127.0.0.1; processes are stopped by PID. Exits 0 when the checks pass or p2pd is absent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v p2pd >/dev/null 2>&1; then
  echo "go-libp2p interop: 'p2pd' (go-libp2p-daemon) is not on PATH; skipping"
  exit 0
fi

# shellcheck source=../../scripts/lib.sh
source "$root/scripts/lib.sh"
dione_build
fail() { echo "go-libp2p interop: FAIL: $*"; exit 1; }

p2pd -listen "/unix/$work/p2pd.sock" -hostAddrs /ip4/127.0.0.1/tcp/0 -noise=true -muxer=yamux >"$work/p2pd.out" 2>&1 &
pids+=("$!")
wait_for "$work/p2pd.out" "Peer Addrs" || true
go_id="$(grep -m1 -o 'Peer ID: [A-Za-z0-9]*' "$work/p2pd.out" | cut -d' ' -f3)"
go_addr="$(grep -A3 'Peer Addrs' "$work/p2pd.out" | grep -m1 -o '/ip4/127.0.0.1/tcp/[0-9]*')"
[ -n "$go_id" ] && [ -n "$go_addr" ] || fail "p2pd did not print its id and address: $(cat "$work/p2pd.out")"
echo "go-libp2p: $go_addr/p2p/$go_id"

echo "- dione dials go-libp2p and pings it"
dione ping --count 3 "$go_addr/p2p/$go_id" || fail "dione could not ping go-libp2p"
echo "go-libp2p interop: all checks passed"
