#!/usr/bin/env bash
# Installs the tools the checks run: promtool and a Prometheus server (Debian's `prometheus` package), and Debian's
# `chromium` for the status page's headless browser test.
# Idempotent; needs root (or sudo) the first time. Called by .ci/run before the tests.
set -euo pipefail
if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends prometheus chromium >/dev/null
# the package may start a server on :9090 where systemd runs; the tests start their own
$SUDO systemctl stop prometheus >/dev/null 2>&1 || true
promtool --version | head -1
