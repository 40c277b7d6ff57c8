#!/usr/bin/env bash
# wgcp developer entry point.
#   ./dev.sh run    build, then start the embedded devstack (Kafka, PostgreSQL, schema registry,
#                   registry-service, ipam-service, endpoint-tracker, firewall-sync, an edge agent on
#                   wireguard-go in a namespace)
#   ./dev.sh test   build and run every test (unit, integration, end to end)
#   ./dev.sh bench  build, then benchmark the devstack (writes docs/benchmarks.md and .json; not part of set-up)
# Each installs what it needs first (Debian packages, Maven dependencies) and is safe to run twice.
set -euo pipefail
cd "$(dirname "$0")"

# What the tests and the devstack run: wireguard-go and wg(-quick) for the edge and clients, ip for
# namespaces, nft for rulesets, ping for the end-to-end check, setsid (util-linux) for service processes,
# named (bind9) as the authoritative DNS server that endpoint-tracker updates (RFC 2136) in the devstack and
# tests, dig (bind9-dnsutils) to look at its records, promtool (prometheus) to check metrics and alert rules,
# docker-compose to validate docker-compose.yml (there is no Docker engine to run it).
PACKAGES=(wireguard-go wireguard-tools nftables iproute2 iputils-ping util-linux ca-certificates bind9 bind9-dnsutils prometheus docker-compose)

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "wgcp: network namespaces and wireguard-go need root; run: sudo $0 $*" >&2
    exit 1
  fi
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "wgcp: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Only named's and promtool's binaries are used (tests and the devstack start their own named on loopback);
    # where apt-get just installed bind9 or prometheus on a machine with systemd, their system services are not wanted.
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      [[ " ${missing[*]} " == *" bind9 "* ]] && systemctl disable --now named >/dev/null 2>&1 || true
      [[ " ${missing[*]} " == *" prometheus "* ]] && systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
  fi
  [ -e /dev/net/tun ] || { echo "wgcp: /dev/net/tun is missing; wireguard-go needs it" >&2; exit 1; }
}

MVN=(mvn -B -ntp)

case "${1:-}" in
  run)
    need_root "$@"
    install_packages
    "${MVN[@]}" -q -DskipTests install
    exec java -jar devstack/target/devstack-*-all.jar "${@:2}"
    ;;
  test)
    need_root "$@"
    install_packages
    "${MVN[@]}" verify
    ;;
  bench)
    need_root "$@"
    install_packages
    "${MVN[@]}" -q -DskipTests install
    exec java -jar bench/target/bench-*-all.jar "${@:2}"
    ;;
  *)
    echo "usage: $0 run|test|bench" >&2
    exit 2
    ;;
esac
