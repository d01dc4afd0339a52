#!/usr/bin/env bash
# Installs the Debian 12 packages pca needs to build, test, benchmark and run its demo.
# Sourced by scripts/test and scripts/demo; a no-op when everything is already there.
set -euo pipefail

PCA_DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libmbedtls-dev nlohmann-json3-dev libboost-test-dev libbenchmark-dev
  libsqlite3-dev libcpp-httplib-dev
  openssl gnutls-bin python3 python3-cryptography python3-cryptography-vectors
  python3-boto3 awscli
)

pca_install_deps() {
  local missing=()
  for p in "${PCA_DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]})); then
    echo "== installing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}
