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

    /** How long the last read took: the pause between reads follows it (see {@link #pause()}). */
    private static volatile long lastReadNanos;

    static Map<String, List<String>> peers(String ifName) {
        long t0 = System.nanoTime();
        try {
            return WgUapi.peers(ifName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lastReadNanos = System.nanoTime() - t0;
        }
    }

    /** Nanotime at which {@code key} is on {@code ifName} with {@code allowedIp}; -1 on timeout. */
    static long awaitPresent(String ifName, String key, String allowedIp, long deadlineNanos) {
        long start = System.nanoTime();
        while (System.nanoTime() < deadlineNanos) {
            List<String> ips = peers(ifName).get(key);
            if (ips != null && (allowedIp == null || ips.contains(allowedIp))) {
                return System.nanoTime();
            }
            pause(System.nanoTime() - start);
        }
        return -1;
    }

    /**
     * The pause between two reads while a wait has lasted {@code waitedNanos}: a quarter of that (so
     * the measurement is at most about a quarter plus one read too late), but never more than four
     * times the last read (the observer then takes at most a fifth of a core: reading an interface
     * with 10,000 peers makes wireguard-go serialize them all) and never less than 0.2 ms.
     */
    static void pause(long waitedNanos) {
        long pause = Math.max(200_000, Math.min(waitedNanos / 4, 4 * lastReadNanos));
        java.util.concurrent.locks.LockSupport.parkNanos(pause);
    }

    /** The pause of a watcher that runs for a long time: four times the last read, at least 0.2 ms. */
    static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.max(200_000, 4 * lastReadNanos));
    }

    /** Nanotime at which {@code key} is absent from {@code ifName}; -1 on timeout. */
    static long awaitAbsent(String ifName, String key, long deadlineNanos) {
        long start = System.nanoTime();
        while (System.nanoTime() < deadlineNanos) {
            if (!peers(ifName).containsKey(key)) {
                return System.nanoTime();
            }
            pause(System.nanoTime() - start);
        }
        return -1;
    }
}
