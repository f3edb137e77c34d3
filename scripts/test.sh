#!/usr/bin/env bash
# Set up Ptah with its test dependencies and run the whole suite.
# Installs the Debian packages the tests need (graphviz, poppler, PostgreSQL);
# the tests start their own PostgreSQL server on a loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh
scripts/setup.sh test
.venv/bin/python -m pytest "$@"
