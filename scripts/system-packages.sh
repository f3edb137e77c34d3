#!/usr/bin/env bash
# Install the Debian packages the tests need, skipping those already there.
set -euo pipefail

packages=(
  graphviz        # dot, for WBS diagrams
  poppler-utils   # pdftotext: the independent reading the recall test uses
  postgresql      # the store's tests run on a real PostgreSQL too
)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "Installing ${missing[*]} with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
