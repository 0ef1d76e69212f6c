#!/usr/bin/env bash
# The DHT demo (the main demo, `dione demo`, is scripts/demo.sh): builds dione, starts three daemons on 127.0.0.1
# that form a Kademlia DHT (each joins through the first), finds the last one through the DHT, pings each of them
# from a short-lived dione node, measures throughput to one of them with /perf/1.0.0, and stops them by PID.
# Everything stays on loopback.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nodes="${DEMO_NODES:-3}"

# shellcheck source=lib.sh
source "$root/scripts/lib.sh"
dione_build

addrs=()
for i in $(seq 1 "$nodes"); do
  repo="$work/node$i"
  dione init --repo "$repo" >/dev/null
  dione bootstrap rm --all --repo "$repo" >/dev/null # the demo stays on 127.0.0.1
  join=()
  [ "$i" -gt 1 ] && join=(--bootstrap "${addrs[0]}")
  dione_background daemon --repo "$repo" --listen /ip4/127.0.0.1/tcp/0 --api /ip4/127.0.0.1/tcp/0 --dht-mode server "${join[@]}" >"$work/node$i.out" 2>"$work/node$i.err"
  wait_for "$work/node$i.out" "Daemon is ready" || { echo "node $i did not start:"; cat "$work/node$i.err"; exit 1; }
  addr="$(grep -m1 -o '/ip4/127.0.0.1/tcp/[0-9]*/p2p/[A-Za-z0-9]*' "$work/node$i.out")"
  addrs+=("$addr")
  echo "node $i: $addr"
  if [ "$i" -gt 1 ]; then
    wait_for "$work/node$i.out" "Bootstrapped with" || { echo "node $i did not join:"; cat "$work/node$i.err"; exit 1; }
    echo "  $(grep -m1 "Bootstrapped with" "$work/node$i.out")"
  fi
done

last="${addrs[$((nodes - 1))]}"
echo "find node $nodes through node 1's DHT (/ipfs/kad/1.0.0):"
dione routing findpeer --quiet --bootstrap "${addrs[0]}" "${last##*/}" | sed 's/^/  /'

for i in $(seq 1 "$nodes"); do
  echo "ping node $i (from a short-lived dione node):"
  dione ping --count 3 "${addrs[$((i - 1))]}" | sed 's/^/  /'
done

echo "perf to node 2 (64 MiB each way, /perf/1.0.0):"
dione perf --upload-bytes 67108864 --download-bytes 67108864 "${addrs[1]}" | sed 's/^/  /'
echo "demo finished: $nodes nodes, all reachable"
