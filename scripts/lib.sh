# Shared by the scripts that run dione processes: build the CLI once, run it, and stop every started process by PID.
# Source it after setting `root` to the repository root.

dione_build() {
  dotnet build "$root/src/Dione.Cli" -c Release -o "$root/.build/dione" -v quiet -nologo >/dev/null
}

dione() { dotnet "$root/.build/dione/dione.dll" "$@"; }

# dione_background ARGS...: starts dione in the background and adds its PID to $pids. (A backgrounded `dione`
# function call would record the PID of a subshell, and stopping that leaves dotnet running.)
dione_background() {
  dotnet "$root/.build/dione/dione.dll" "$@" &
  pids+=("$!")
}

# A temporary work folder in $work and a list of PIDs in $pids, both cleaned up on exit.
work="$(mktemp -d)"
pids=()
_dione_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap _dione_cleanup EXIT

# wait_for FILE TEXT: waits up to 30 s for TEXT to appear in FILE.
wait_for() {
  for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
