#!/usr/bin/env bash
# Installs the js-libp2p interop peers' dependencies exactly as locked.
# Idempotent: runs `npm ci` only when node_modules is missing or
# package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.dione-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)

if [[ -d node_modules && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "interop/js: node_modules up to date"
  exit 0
fi

echo "interop/js: npm ci (node $(node --version), npm $(npm --version))"
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
