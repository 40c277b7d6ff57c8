package dev.wgcp.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network namespace that this process created, with loopback up. Closing it stops the processes
 * started in it and deletes it, which also removes its interfaces. Needs root.
 */
public final class Netns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Netns.class);

    private final String name;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates namespace {@code name}; fails if it exists (another run may own it). */
    public static Netns create(String name) {
        Shell.run("ip", "netns", "add", name);
        Netns ns = new Netns(name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        Cleanup.register(ns);
        return ns;
    }

    /** A short random suffix for names that must be unique per test (interface names: 15 chars at most). */
    public static String uniqueSuffix() {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and returns its output. */
    public String exec(String... command) {
        return Shell.run(inside(command));
    }

    /** Runs a command inside the namespace and returns exit code and output, whatever the code. */
    public Shell.Result tryExec(String... command) {
        return Shell.exec(inside(command));
    }

    public List<String> inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    /**
     * Joins this namespace to {@code other} with a veth pair, {@code ifHere} with {@code cidrHere} in this
     * one and {@code ifThere} with {@code cidrThere} in the other, both up.
     */
    public void link(String ifHere, String cidrHere, Netns other, String ifThere, String cidrThere) {
        Shell.run("ip", "link", "add", ifHere, "netns", name, "type", "veth", "peer", "name", ifThere, "netns", other.name);
        exec("ip", "addr", "add", cidrHere, "dev", ifHere);
        exec("ip", "link", "set", ifHere, "up");
        other.exec("ip", "addr", "add", cidrThere, "dev", ifThere);
        other.exec("ip", "link", "set", ifThere, "up");
    }

    /** Starts a wireguard-go interface in this namespace; it is stopped when the namespace closes. */
    public WireGuardGo startWireGuard(String ifName) {
        WireGuardGo wg = WireGuardGo.start(this, ifName);
        synchronized (owned) {
            owned.add(wg);
        }
        return wg;
    }

    /** Ties {@code resource} to this namespace's life: closed, last first, before the namespace goes. */
    public void own(AutoCloseable resource) {
        synchronized (owned) {
            owned.add(resource);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> toClose;
        synchronized (owned) {
            toClose = new ArrayList<>(owned);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("cleanup in namespace {} failed: {}", name, e.getMessage());
            }
        }
        // Kill anything else still running in the namespace before deleting it.
        Shell.Result pids = Shell.exec(List.of("ip", "netns", "pids", name));
        if (pids.exitCode() == 0) {
            for (String pid : pids.output().split("\\s+")) {
                if (!pid.isBlank()) {
                    Shell.exec(List.of("kill", "-9", pid.trim()));
                }
            }
        }
        Shell.Result del = Shell.exec(List.of("ip", "netns", "del", name));
        if (del.exitCode() != 0) {
            LOG.warn("could not delete namespace {}: {}", name, del.output().strip());
        }
        Cleanup.unregister(this);
    }
}
