# Shared by the scripts that run dione processes: build the CLI once, run it, and stop every started process by PID.
# Source it after setting `root` to the repository root.

# dione_build: builds the CLI into .build/dione, printing each project as it is built (on stderr: a first build takes
# a minute or two, and silence looks like a hang); the whole build log only when the build fails.
dione_build() {
  local log
  log="$(mktemp)"
  echo "building dione into .build/dione..." >&2
  if dotnet build "$root/src/Dione.Cli" -c Release -o "$root/.build/dione" -v minimal -nologo -clp:NoSummary 2>&1 |
    tee "$log" | sed -nu 's/^ *\([A-Za-z.]*\) -> .*/  built \1/p' >&2; then
    rm -f "$log"
    return 0
  fi
  cat "$log" >&2
  rm -f "$log"
  return 1
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
