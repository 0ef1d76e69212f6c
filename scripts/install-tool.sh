#!/usr/bin/env bash
# Packs the `dione` .NET tool (package Dione.Cli) into .build/packages and installs it from that folder alone:
#   scripts/install-tool.sh           installs it for the user (dotnet tool install --global: ~/.dotnet/tools/dione)
#   scripts/install-tool.sh DIR       installs it into DIR (dotnet tool install --tool-path DIR: DIR/dione)
# An installed dione is replaced. No other package source is asked, so a package of the same name elsewhere is never
# installed instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages="$root/.build/packages"
id="Dione.Cli"

if [ "$#" -gt 1 ]; then
  echo "usage: scripts/install-tool.sh [TOOL-PATH]" >&2
  exit 2
fi
if [ "$#" -eq 1 ]; then
  where=(--tool-path "$1")
else
  where=(--global)
fi

version="$(dotnet msbuild "$root/src/Dione.Cli" -getProperty:Version -nologo)"
echo "packing $id $version into $packages..." >&2
dotnet pack "$root/src/Dione.Cli" -c Release -o "$packages" -nologo -v quiet >/dev/null

# A NuGet configuration whose only source is the folder just packed into.
config="$(mktemp)"
trap 'rm -f "$config"' EXIT
cat >"$config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
  </packageSources>
</configuration>
XML

dotnet tool uninstall "${where[@]}" "$id" >/dev/null 2>&1 || true
dotnet tool install "${where[@]}" --configfile "$config" --add-source "$packages" --version "$version" "$id"
