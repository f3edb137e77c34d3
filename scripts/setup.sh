#!/usr/bin/env bash
# Create .venv beside the checkout and install Ptah into it (editable).
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    # Debian's own Python keeps venv in a separate package.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$python" -m venv .venv
    else
      echo "setup: '$python -m venv' failed; install python3-venv and run again." >&2
      exit 1
    fi
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
extras=${1:-}
target="."
[ -n "$extras" ] && target=".[$extras]"
.venv/bin/python -m pip install -q -e "$target"
