#!/usr/bin/env bash
# Installs everything faultline needs on a fresh Debian 12 machine, then builds it. Safe to run again:
# it only installs what is missing. Used by `npm run lab` and (as `pretest`) by `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql-15 postgresql-15-auto-failover pg-auto-failover-cli redis-server redis-tools nats-server haproxy nginx prometheus)
# The dashboard's browser tests drive Debian's Chromium; only the test run needs it.
if [[ "${1:-}" == "--test" ]]; then packages+=(chromium); fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then sudo=""
  elif sudo -n true 2>/dev/null; then sudo="sudo"
  else
    echo "faultline setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "faultline setup: installing ${missing[*]}" >&2
  # The lab starts its own servers on its own ports: keep the packages' system services from starting.
  created_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  trap '[[ -n "$created_policy" ]] && $sudo rm -f /usr/sbin/policy-rc.d' EXIT
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies: install when absent or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "faultline setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "faultline setup: building" >&2
npm run --silent build
