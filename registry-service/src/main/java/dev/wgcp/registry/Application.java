package dev.wgcp.registry;

import io.micronaut.runtime.Micronaut;

/** registry-service: networks, peers and keys. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
