#!/usr/bin/env bash
# Installs what the tests need (the js-libp2p interop peers, from npm) and runs every test of the solution.
# Ends with one line "N passed, N failed" summed over the test projects.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

bash "$root/interop/js/install.sh"
# jq: the soak script's checker and README's examples (run by the CLI tests) use it.
if ! command -v jq >/dev/null; then
  echo "installing jq (Debian package)"
  apt-get install -y -qq jq >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test "$root/DioneLibp2p.sln" -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or the test host failed before any summary
fi
echo "$passed passed, $failed failed"
exit "$status"
