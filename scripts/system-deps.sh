#!/usr/bin/env bash
# Installs the Debian packages podsniff needs when they are missing. Needs root only when something is
# missing; does nothing otherwise. Run it before `npm ci`.
#
#   bash scripts/system-deps.sh          what `podsniff` itself needs:
#     libpcap-dev      live capture (the `pcap` npm binding compiles against it during `npm ci`)
#     build-essential, python3   compilers for the native bindings (pcap, better-sqlite3)
#   bash scripts/system-deps.sh test     also what the tests and benchmarks need:
#     iproute2         ip netns, veth, bridges (the simulated node)
#     util-linux       nsenter
#     tcpdump, tshark  recording fixtures and cross-checking dissection and pcap export
#     dnsmasq-base, bind9-dnsutils, curl   a DNS server, dig and an HTTP client for real traffic
#     chromium, fonts-dejavu-core          the browser the dashboard's end-to-end tests drive
set -euo pipefail
missing=()
[ -f /usr/include/pcap/pcap.h ] || missing+=(libpcap-dev)
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || missing+=(build-essential)
[ -x /usr/bin/python3 ] || missing+=(python3)
if [ "${1:-}" = test ]; then
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
  command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
  command -v tshark >/dev/null 2>&1 || missing+=(tshark)
  [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
  command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
elif [ -n "${1:-}" ]; then
  echo "usage: $0 [test]" >&2
  exit 2
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "podsniff: missing system packages: ${missing[*]}; run this script as root (sudo $0 $*)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
