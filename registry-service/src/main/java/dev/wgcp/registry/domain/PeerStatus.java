package dev.wgcp.registry.domain;

/**
 * Lifecycle of a peer. REVOKED is terminal: nothing brings a revoked peer or its key back. DELETED is
 * revoked and, in addition, its addresses released.
 */
public enum PeerStatus { ACTIVE, REVOKED, DELETED }
