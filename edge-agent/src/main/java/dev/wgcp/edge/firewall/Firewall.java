package dev.wgcp.edge.firewall;

import java.util.Optional;

/** The packet filter the agent drives: its own table only, replaced as a whole. */
public interface Firewall {

    /** Runs {@code script} as one transaction: all of it applies, or none. */
    void apply(String script);

    /** The table as the kernel has it now, or empty when it does not exist. */
    Optional<String> list(String table);
}
