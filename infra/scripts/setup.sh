#!/usr/bin/env bash
# Installs what the Makefile needs on a fresh machine. Idempotent: when
# everything is present it does nothing and prints nothing.
#   infra/scripts/setup.sh            the WebAssembly target only
#   infra/scripts/setup.sh redis wrk  plus these Debian packages
set -euo pipefail

if ! rustup target list --installed | grep -qx wasm32-wasip2; then
  echo "setup: adding the wasm32-wasip2 Rust target"
  rustup target add wasm32-wasip2
fi

packages=()
for want in "$@"; do
  case "$want" in
    redis) command -v redis-server >/dev/null 2>&1 || packages+=(redis-server) ;;
    wrk) command -v wrk >/dev/null 2>&1 || packages+=(wrk) ;;
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
