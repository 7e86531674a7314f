#!/usr/bin/env bash
# Installs Debian's prometheus (server + promtool) for the PromQL comparison test, without leaving
# a service running. Idempotent: does nothing when both binaries are present.
set -euo pipefail
if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; then
  echo "install-prometheus: already installed ($(/usr/bin/prometheus --version 2>&1 | head -n1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# keep the package's init scripts from starting a server (there is no systemd here, but be explicit)
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "install-prometheus: $(/usr/bin/prometheus --version 2>&1 | head -n1)"
