package dev.wgcp.kit.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

/**
 * Serializes what every instance of a service does once at its start against the shared database
 * (creating configured pools, networks, the bootstrap token): instances started together would
 * otherwise both find a thing missing, both create it, and the second fail on the conflict. A
 * PostgreSQL advisory lock held until the caller's transaction ends; the next instance then finds
 * the thing made.
 */
@Singleton
public class StartupLock {

    private final JdbcOperations jdbc;

    public StartupLock(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Waits for, then holds until the current transaction ends, the lock named {@code what}. */
    public void hold(String what) {
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))", ps -> {
            ps.setString(1, "wgcp:" + what);
            ps.execute();
            return null;
        });
    }
}
