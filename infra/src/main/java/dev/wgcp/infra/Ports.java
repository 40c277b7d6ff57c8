package dev.wgcp.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers. */
public final class Ports {

    /** Ports handed out by {@link #free()} in this JVM: two callers must never get the same one. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port that is free on 127.0.0.1 right now, below Linux's ephemeral range (32768 and up) so that
     * the many outgoing connections of a running stack cannot take it before its server binds it.
     * Never the same port twice in one JVM: a port handed out but not bound yet still looks free, and
     * two services given one port would have one of them fail (or, worse, answer for the other).
     */
    public static int free() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on loopback between 20000 and 32000");
    }
}
