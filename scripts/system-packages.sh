#!/usr/bin/env bash
# Install the Debian packages the tests need, skipping those already there.
set -euo pipefail

packages=(
  graphviz               # dot, for WBS diagrams
  poppler-utils          # pdftotext for the recall test; pdftoppm for report PDFs
  postgresql             # the store's tests run on a real PostgreSQL too
  chromium               # headless browser: dashboard tests and report PDFs
  libreoffice-calc-nogui # recalculates exported workbooks to check their formulas
  default-jre-headless   # the JVM that MPXJ reads exported MS Project files on
  fonts-dejavu-core      # one font family for diagrams and PDFs on a bare machine
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
