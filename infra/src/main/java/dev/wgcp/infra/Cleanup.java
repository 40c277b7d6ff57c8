package dev.wgcp.infra;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Closes what is still open when the JVM exits (a test that failed before its cleanup, a Ctrl-C):
 * namespaces, wireguard-go processes and child services never outlive the run that made them.
 */
public final class Cleanup {

    private static final Set<AutoCloseable> OPEN = new LinkedHashSet<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "wgcp-cleanup"));
    }

    private Cleanup() {
    }

    public static synchronized void register(AutoCloseable resource) {
        OPEN.add(resource);
    }

    public static synchronized void unregister(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    static void closeAll() {
        List<AutoCloseable> open;
        synchronized (Cleanup.class) {
            open = new ArrayList<>(OPEN);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup failed: " + e.getMessage());
            }
        }
    }
}
