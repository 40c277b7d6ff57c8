package dev.wgcp.edge;

import io.micronaut.runtime.Micronaut;

/** edge-agent: applies peers to a WireGuard interface and keeps it so. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
