package dev.wgcp.bench;

import dev.wgcp.infra.WgUapi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reads an edge's WireGuard interface through its control socket: what {@code wg show} reads. */
final class EdgeWatch {

    private EdgeWatch() {
    }

    /** The interface's peers: public key → allowed-ips. */
    static Map<String, List<String>> peers(String ifName) {
        try {
            return WgUapi.peers(ifName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
