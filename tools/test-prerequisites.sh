#!/usr/bin/env bash
# Installs what the tests start besides Java: Azurite (npm) and headless Chromium (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

if ! command -v chromium >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium
fi
