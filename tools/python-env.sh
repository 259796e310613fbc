#!/usr/bin/env bash
# Creates tools/.venv from tools/requirements.txt (Python 3.11, PyPI), or reuses it when it was made
# from the same requirements. Prints the environment's python, for: "$(tools/python-env.sh)" script.py
set -euo pipefail
cd "$(dirname "$0")"

venv=.venv
stamp="$venv/requirements.sha256"
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$venv"
  python3.11 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt >&2
  echo "$wanted" > "$stamp"
fi
echo "$PWD/$venv/bin/python"
