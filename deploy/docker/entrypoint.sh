#!/bin/sh
# Starts a wgcp service in its container. For the edge agent, first brings up the WireGuard interface
# with wireguard-go (userspace: no kernel module needed; the container needs NET_ADMIN and /dev/net/tun).
set -eu
if [ "${WGCP_SERVICE:-}" = "edge-agent" ] && [ -n "${AGENT_INTERFACE:-}" ]; then
  if ! ip link show "$AGENT_INTERFACE" >/dev/null 2>&1; then
    WG_PROCESS_FOREGROUND=0 wireguard-go "$AGENT_INTERFACE"
  fi
  if [ -n "${AGENT_TUNNEL_ADDRESS:-}" ] && ! ip addr show dev "$AGENT_INTERFACE" | grep -q "inet ${AGENT_TUNNEL_ADDRESS%/*}/"; then
    ip addr add "$AGENT_TUNNEL_ADDRESS" dev "$AGENT_INTERFACE"
  fi
  ip link set "$AGENT_INTERFACE" up
fi
exec java ${JAVA_OPTS:-} -jar /app/service.jar "$@"
