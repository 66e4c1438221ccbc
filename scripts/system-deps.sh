#!/usr/bin/env bash
# Installs the Debian packages podsniff needs when they are missing:
#   libpcap-dev      live capture (the `pcap` npm binding compiles against it during `npm ci`)
#   iproute2         ip netns, veth, bridges (tests: the simulated node)
#   util-linux       nsenter (tests)
#   python3          socket-holder processes of the simulated node (tests)
#   tcpdump, tshark  recording fixtures and cross-checking dissection (tests, benchmarks)
#   dnsmasq-base, bind9-dnsutils, curl   a DNS server, dig and an HTTP client for real traffic (tests)
# Needs root; does nothing when everything is present. Run it before `npm ci`.
set -euo pipefail
missing=()
[ -f /usr/include/pcap/pcap.h ] || missing+=(libpcap-dev)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
[ -x /usr/bin/python3 ] || missing+=(python3)
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
[ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "podsniff: missing system packages: ${missing[*]}; run this script as root (sudo $0)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
