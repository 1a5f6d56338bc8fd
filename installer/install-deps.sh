#!/usr/bin/env bash
# Installs the Debian 12 packages Bookbridge needs to build, test and run its demo.
# Idempotent: runs `apt-get update` once, then installs only what is missing.
# Usage: installer/install-deps.sh [--runtime-only]
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libssl-dev nlohmann-json3-dev libgtest-dev libgmock-dev
  libsqlite3-dev zlib1g-dev libzstd-dev libcli11-dev libspdlog-dev libsystemd-dev
  clang-format libexpat1-dev
)
# python3-gnucash does not depend on the engine libraries it loads; `gnucash` brings them.
test_packages=(python3 gnucash python3-gnucash libdbd-sqlite3 sqlite3 curl openssl)
runtime_packages=(libssl3 libsqlite3-0 zlib1g libzstd1 libspdlog1.10 libsystemd0 ca-certificates)

packages=("${runtime_packages[@]}")
if [[ "${1:-}" != "--runtime-only" ]]; then
  packages+=("${build_packages[@]}" "${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root (or with sudo) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
