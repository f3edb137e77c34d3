#!/usr/bin/env bash
# Set up Ptah and run the main job on the bundled sample RFP.
# No server, database or API key: the workspace is a folder (./.ptah).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PTAH_HOME=${PTAH_HOME:-$PWD/.ptah}
.venv/bin/ptah analyze samples/northwind/* --project northwind \
  --name "Appointment portal" --client "Northwind Clinics" --stack "Django, PostgreSQL" \
  --out out/northwind
echo
echo "Open out/northwind/report.html in a browser; the WBS is in out/northwind/wbs.xlsx."
