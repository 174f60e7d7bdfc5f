#!/usr/bin/env bash
# Installs everything the tests and the quick start need on a Debian machine: the Debian
# packages (a real Docker Engine, a real registry, Chromium, ...), the npm packages, and
# code-server (a real VS Code). Fast when all is there already.
set -euo pipefail
# For callers that have just checked all this (the start-signal tests run npm start again and again).
[[ -n ${LAYERLENS_SKIP_INSTALL_DEPS:-} ]] && exit 0
cd "$(dirname "$0")/.."

PACKAGES=(
  docker.io          # dockerd 20.10, containerd, runc, and the 20.10 client that builds with BuildKit
  docker-registry    # distribution 2.8: the registries tests push to and read from
  apache2-utils      # htpasswd, for the basic-auth registry
  busybox-static     # the base image is a busybox rootfs made locally (no Docker Hub here)
  openssl            # the token registry's signing certificate
  podman             # a second engine: its Docker-compatible API must work too
  chromium           # the browser that drives code-server in end-to-end tests
  python3 zstd       # independent readings of image archives (tarfile) and zstd layers, in the tests
  ripgrep libkrb5-dev pkg-config  # code-server's native parts
)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if (( ${#missing[@]} )); then
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  echo "install-deps: apt-get install ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund
fi

bash scripts/install-code-server.sh >/dev/null
