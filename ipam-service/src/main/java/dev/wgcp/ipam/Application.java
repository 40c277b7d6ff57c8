package dev.wgcp.ipam;

import io.micronaut.runtime.Micronaut;

/** ipam-service: stable tunnel addresses. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
