#!/usr/bin/env bash
# Set up Ptah with its test dependencies and run the whole suite.
# Installs the Debian packages the tests need (scripts/system-packages.sh:
# graphviz, poppler, PostgreSQL, Chromium, LibreOffice Calc, a JRE, fonts); the
# tests start their own PostgreSQL, Voila and JupyterLab servers on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh
scripts/setup.sh test
.venv/bin/python -m pytest "$@"
