#!/usr/bin/env bash
# Installs what the Makefile needs on a fresh machine. Idempotent: when
# everything is present it does nothing and prints nothing.
#   infra/scripts/setup.sh            the WebAssembly targets only (wasm32-wasip2 for the
#                                     app; wasm32-wasip1 for the runner's core-module test)
#   infra/scripts/setup.sh redis wrk  plus these Debian packages
#   infra/scripts/setup.sh browser    Chromium, Node.js and npm (Debian's), then the
#                                     browser tests' npm packages (tests/browser, `npm ci`)
set -euo pipefail

for target in wasm32-wasip2 wasm32-wasip1; do
  if ! rustup target list --installed | grep -qx "$target"; then
    echo "setup: adding the $target Rust target"
    rustup target add "$target"
  fi
done

packages=()
for want in "$@"; do
  case "$want" in
    redis) command -v redis-server >/dev/null 2>&1 || packages+=(redis-server) ;;
    wrk) command -v wrk >/dev/null 2>&1 || packages+=(wrk) ;;
    browser)
      command -v chromium >/dev/null 2>&1 || packages+=(chromium)
      command -v node >/dev/null 2>&1 || packages+=(nodejs)
      command -v npm >/dev/null 2>&1 || packages+=(npm)
      ;;
    *) echo "setup: unknown requirement '$want'" >&2; exit 2 ;;
  esac
done

if ((${#packages[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${packages[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# The browser tests' packages (playwright-core, axe-core), exactly as locked;
# again only when package-lock.json changed since the last install.
for want in "$@"; do
  if [ "$want" = browser ]; then
    dir="$(cd "$(dirname "$0")/../.." && pwd)/tests/browser"
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      echo "setup: installing the browser tests' npm packages (npm ci in tests/browser)"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
  fi
done
