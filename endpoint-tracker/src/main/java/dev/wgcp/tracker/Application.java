package dev.wgcp.tracker;

import io.micronaut.runtime.Micronaut;

/** endpoint-tracker: where each peer is seen from, and when that changes. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
