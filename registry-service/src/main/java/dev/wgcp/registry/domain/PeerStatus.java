package dev.wgcp.registry.domain;

/** Lifecycle of a peer. REVOKED is terminal: nothing brings a revoked peer or its key back. */
public enum PeerStatus { ACTIVE, REVOKED }
