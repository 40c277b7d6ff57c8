package dev.wgcp.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's binaries from Maven jars) on loopback. Each service gets its own
 * database, as it would on a shared production server.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private volatile EmbeddedPostgres postgres;
    private Path dataDir;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL on {@code port} (0 picks a free one); {@code dataDir} null means a throw-away directory. */
    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        if (dataDir != null) {
            Files.createDirectories(dataDir);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(builder(dataDir, port == 0 ? Ports.free() : port).start());
        db.dataDir = dataDir;
        LOG.info("PostgreSQL listening on 127.0.0.1:{}", db.port());
        return db;
    }

    /**
     * A server on {@code port}. One with a data directory (the devstack's, which the chaos suite kills) is
     * durable as a production server is: zonky turns {@code synchronous_commit} off, and a server killed
     * then lost the last commits it had acknowledged (an address ipam-service allocated and announced could
     * go back to the pool and to a second peer). A throw-away one keeps zonky's setting (fast, never killed).
     */
    private static EmbeddedPostgres.Builder builder(Path dataDir, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port).setServerConfig("max_connections", "200");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false).setServerConfig("synchronous_commit", "on");
        }
        return builder;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates {@code name} unless it exists, and returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name '" + name + "' must match [a-z_][a-z0-9_]*");
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    /**
     * Kills PostgreSQL with SIGKILL, its backends first, as a crash of its machine would: nothing is
     * flushed or shut down; {@link #restart} then recovers from the write-ahead log. Needs a data directory.
     */
    public synchronized void kill() throws IOException {
        if (dataDir == null) {
            throw new IllegalStateException("a throw-away PostgreSQL (no data directory) cannot be killed and restarted");
        }
        String pid = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
        Shell.exec(List.of("pkill", "-KILL", "-P", pid));
        Shell.exec(List.of("kill", "-KILL", pid));
        for (int i = 0; i < 100 && Shell.exec(List.of("kill", "-0", pid)).exitCode() == 0; i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts PostgreSQL again on the same port and data directory (after {@link #kill}). */
    public synchronized void restart() throws IOException {
        int port = port();
        // Releases the data directory's lock this JVM holds (its stop of the killed server fails, and is logged, harmlessly).
        postgres.close();
        postgres = builder(dataDir, port).start();
        LOG.info("PostgreSQL restarted on 127.0.0.1:{}", port);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
