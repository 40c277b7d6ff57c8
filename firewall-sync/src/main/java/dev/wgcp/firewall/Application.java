package dev.wgcp.firewall;

import io.micronaut.runtime.Micronaut;

/** firewall-sync: one nftables ruleset per edge, keyed by tunnel addresses. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
