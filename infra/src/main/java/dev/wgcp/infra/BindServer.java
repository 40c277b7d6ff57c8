package dev.wgcp.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real authoritative DNS server (Debian's BIND 9, {@code named}) on loopback for tests: one
 * primary zone that takes RFC 2136 updates signed with one TSIG key (hmac-sha256). Runs in the
 * foreground as this process's child, so it can always be stopped; {@link #stop()} and
 * {@link #start()} again keep the zone and its journal (a server that is down for a while).
 */
public final class BindServer implements AutoCloseable {

    private final Path dir;
    private final String zone;
    private final String keyName;
    private final String secret;
    private final int port;
    private Process process;

    private BindServer(Path dir, String zone, String keyName, String secret, int port) {
        this.dir = dir;
        this.zone = zone;
        this.keyName = keyName;
        this.secret = secret;
        this.port = port;
    }

    /** Writes the configuration and zone under {@code dir} and starts named on a free loopback port. */
    public static BindServer start(Path dir, String zone, String keyName) throws IOException {
        return start(dir, zone, keyName, Ports.free());
    }

    /** As {@link #start(Path, String, String)}, on {@code port} (TCP and UDP) of 127.0.0.1. */
    public static BindServer start(Path dir, String zone, String keyName, int port) throws IOException {
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        BindServer server = new BindServer(dir, zone, keyName, Base64.getEncoder().encodeToString(key), port);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("named.conf"), """
                options {
                  directory "%1$s";
                  pid-file "%1$s/named.pid";
                  session-keyfile "%1$s/session.key";
                  managed-keys-directory "%1$s";
                  listen-on port %2$d { 127.0.0.1; };
                  listen-on-v6 { none; };
                  recursion no;
                  dnssec-validation no;
                  notify no;
                  allow-query { 127.0.0.1; };
                };
                controls { };
                key "%3$s" { algorithm hmac-sha256; secret "%4$s"; };
                zone "%5$s" { type primary; file "%1$s/zone.db"; allow-update { key "%3$s"; }; };
                """.formatted(dir, server.port, keyName, server.secret, zone));
        // It holds the TSIG secret: readable by its owner only.
        Files.setPosixFilePermissions(dir.resolve("named.conf"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("zone.db"), """
                $TTL 300
                @ IN SOA ns1.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
                @ IN NS ns1.%1$s.
                ns1 IN A 127.0.0.1
                """.formatted(zone));
        Files.deleteIfExists(dir.resolve("zone.db.jnl")); // a fresh zone: the journal of an earlier run no longer fits it
        server.start();
        return server;
    }

    /** Starts named (again). */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder("named", "-g", "-c", dir.resolve("named.conf").toString(), "-n", "1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start named (apt-get install bind9): " + e.getMessage(), e);
        }
        Cleanup.register(this);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log;
                try {
                    log = Files.readString(dir.resolve("named.log"));
                } catch (IOException e) {
                    log = e.toString();
                }
                stop();
                throw new IllegalStateException("named did not come up on 127.0.0.1:" + port + ": " + log);
            }
            sleep(50);
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops named; the zone stays on disk. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        Cleanup.unregister(this);
    }

    public int port() {
        return port;
    }

    public String zone() {
        return zone;
    }

    public String keyName() {
        return keyName;
    }

    /** The base64 TSIG secret (tests write it to a key file for the service under test). */
    public String secret() {
        return secret;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
