#!/usr/bin/env bash
# The main job: builds dione and runs `dione demo` — a swarm of 20 Dione nodes on 127.0.0.1 in one process, where
# Alice and Bob exchange end-to-end encrypted messages both ways, Bob goes offline while Alice writes to him, and
# comes back on a new node from his database file to receive what she sent. Prints the transcript with timings and
# exits 0 only when every message arrived exactly once. Needs no repo; nothing leaves 127.0.0.1.
# Arguments are passed to `dione demo` (e.g. --nodes 50, --json).
# The DHT demo with three `dione daemon` processes is scripts/demo-dht.sh; the messenger with one daemon per node is
# scripts/demo-multiprocess.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# shellcheck source=lib.sh
source "$root/scripts/lib.sh"
dione_build
dione demo "$@"
