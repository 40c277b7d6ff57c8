package dev.wgcp.bench;

import dev.wgcp.infra.WgUapi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Polls edges' WireGuard interfaces through their control sockets until a peer is there, or gone. */
final class EdgeWatch {

    private EdgeWatch() {
    }

    static Map<String, List<String>> peers(String ifName) {
        try {
            return WgUapi.peers(ifName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nanotime at which {@code key} is on {@code ifName} with {@code allowedIp}; -1 on timeout. */
    static long awaitPresent(String ifName, String key, String allowedIp, long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos) {
            List<String> ips = peers(ifName).get(key);
            if (ips != null && (allowedIp == null || ips.contains(allowedIp))) {
                return System.nanoTime();
            }
            pause();
        }
        return -1;
    }

    /**
     * 0.2 ms between reads: fine enough for latencies of milliseconds, and it leaves the CPU to the
     * system being measured (a spinning reader on a 2-core machine would slow it down).
     */
    static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
    }

    /** Nanotime at which {@code key} is absent from {@code ifName}; -1 on timeout. */
    static long awaitAbsent(String ifName, String key, long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos) {
            if (!peers(ifName).containsKey(key)) {
                return System.nanoTime();
            }
            pause();
        }
        return -1;
    }
}
