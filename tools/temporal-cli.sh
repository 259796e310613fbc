#!/usr/bin/env bash
# Builds the Temporal CLI (whose `server start-dev` is the embedded default's Temporal server) from
# its Go module at a pinned version, once per machine: a binary already built for that version is
# reused. Prints the binary's path.
#
#   tools/temporal-cli.sh [VERSION]    (VERSION defaults to the one pinned in pom.xml)
#
# Installs to $DD_TOOLS_HOME/temporal-cli/VERSION/temporal ($DD_TOOLS_HOME defaults to
# ~/.cache/durable-diffusion), where the launcher looks for it (docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-$(sed -n 's:.*<temporal-cli.version>\(.*\)</temporal-cli.version>.*:\1:p' pom.xml)}
[ -n "$version" ] || { echo "no temporal-cli.version in pom.xml" >&2; exit 2; }
home=${DD_TOOLS_HOME:-$HOME/.cache/durable-diffusion}
dir="$home/temporal-cli/v$version"
binary="$dir/temporal"

if [ -x "$binary" ] && "$binary" --version 2>/dev/null | grep -q "version $version "; then
  echo "$binary"
  exit 0
fi
command -v go >/dev/null || {
  echo "Go is needed once to build the Temporal CLI v$version (apt-get install golang-go)" >&2
  exit 2
}
echo "building the Temporal CLI v$version from its Go module (once per machine, a few minutes)" >&2
mkdir -p "$dir"
staging=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$staging"' EXIT
GOBIN="$staging" CGO_ENABLED=0 go install \
  -ldflags "-X github.com/temporalio/cli/temporalcli.Version=$version" \
  "github.com/temporalio/cli/cmd/temporal@v$version" >&2
mv -f "$staging/temporal" "$binary"
echo "$binary"
