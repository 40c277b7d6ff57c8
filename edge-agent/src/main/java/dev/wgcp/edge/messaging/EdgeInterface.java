package dev.wgcp.edge.messaging;

import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.InterfaceSpec;
import dev.wgcp.edge.metrics.AgentMetrics;
import dev.wgcp.edge.wireguard.WireGuard;

/** One interface the agent drives: what it must hold, how it is reached, its reconciler and its metrics. */
public record EdgeInterface(InterfaceSpec spec, DesiredState desired, WireGuard wireGuard, Reconciler reconciler, AgentMetrics metrics) {
}
