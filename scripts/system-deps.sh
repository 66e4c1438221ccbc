#!/usr/bin/env bash
# Installs the Debian packages podsniff's tests use when they are missing: iproute2 (ip netns, veth,
# bridges), util-linux (nsenter) and python3 (the socket-holder processes of the simulated node).
# Needs root; does nothing when everything is present.
set -euo pipefail
missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
[ -x /usr/bin/python3 ] || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "podsniff: missing system packages: ${missing[*]}; run this script as root (sudo $0)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
