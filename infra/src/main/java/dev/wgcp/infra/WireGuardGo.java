package dev.wgcp.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A userspace WireGuard interface (Debian's wireguard-go) inside a namespace, kept in the foreground
 * as this process's child so that it can always be stopped. Its control socket is
 * /var/run/wireguard/&lt;if&gt;.sock, shared by all namespaces, so {@code wg} reaches it from anywhere and
 * interface names must be unique per machine.
 */
public final class WireGuardGo implements AutoCloseable {

    public static final Path SOCKET_DIR = Path.of("/var/run/wireguard");

    private final String ifName;
    private final Process process;

    private WireGuardGo(String ifName, Process process) {
        this.ifName = ifName;
        this.process = process;
    }

    static WireGuardGo start(Netns ns, String ifName) {
        if (ifName.length() > 15) {
            throw new IllegalArgumentException("interface name '" + ifName + "' is longer than 15 characters");
        }
        Path socket = SOCKET_DIR.resolve(ifName + ".sock");
        if (Files.exists(socket)) {
            throw new IllegalStateException(socket + " exists: another wireguard-go already serves " + ifName);
        }
        ProcessBuilder pb = new ProcessBuilder(ns.inside("wireguard-go", "-f", ifName))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("WG_PROCESS_FOREGROUND", "1");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start wireguard-go (apt-get install wireguard-go): " + e.getMessage(), e);
        }
        WireGuardGo wg = new WireGuardGo(ifName, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                wg.close();
                throw new IllegalStateException("wireguard-go did not create " + socket
                        + (process.isAlive() ? " within 10 s" : ", it exited " + process.exitValue()));
            }
            sleep(20);
        }
        return wg;
    }

    public String ifName() {
        return ifName;
    }

    /** Kills wireguard-go with SIGKILL, as a crash would: its interface and peers go; its socket file stays behind and is removed here. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(SOCKET_DIR.resolve(ifName + ".sock"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(SOCKET_DIR.resolve(ifName + ".sock"));
        } catch (IOException ignored) {
            // wireguard-go removes it itself on a clean stop
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
