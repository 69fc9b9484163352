#!/usr/bin/env bash
# Debian's chromium, which the website's tests drive through Playwright (launched by its
# path: Playwright never downloads a browser here). Installs it when missing and root;
# otherwise prints the exact command, exit 2.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "Error: chromium is missing. Install it with: sudo apt-get install chromium" >&2
exit 2
