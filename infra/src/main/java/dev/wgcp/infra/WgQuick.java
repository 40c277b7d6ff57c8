package dev.wgcp.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Brings a client up from a wg-quick configuration inside a namespace, exactly as a user would with
 * {@code wg-quick up} (which falls back to wireguard-go where there is no kernel module). Closing it
 * takes the interface down and removes its control socket.
 */
public final class WgQuick implements AutoCloseable {

    private final Netns ns;
    private final Path config;
    private final String ifName;

    private WgQuick(Netns ns, Path config, String ifName) {
        this.ns = ns;
        this.config = config;
        this.ifName = ifName;
    }

    /** Writes {@code configText} with {@code privateKey} added to [Interface] as {@code <dir>/<ifName>.conf} and brings it up. */
    public static WgQuick up(Netns ns, Path dir, String ifName, String configText, String privateKey) {
        return up(ns, dir, ifName, configText.replaceFirst("(?m)^\\[Interface]$", "[Interface]\nPrivateKey = " + privateKey));
    }

    /** The wg-quick configuration {@code completeConfig} (with its PrivateKey) as {@code <dir>/<ifName>.conf}, brought up. */
    public static WgQuick up(Netns ns, Path dir, String ifName, String completeConfig) {
        try {
            Path config = dir.resolve(ifName + ".conf");
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, completeConfig);
            WgQuick q = new WgQuick(ns, config, ifName);
            ns.own(q);
            ns.exec("wg-quick", "up", config.toString());
            return q;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ns.tryExec("wg-quick", "down", config.toString());
        try {
            Files.deleteIfExists(WireGuardGo.SOCKET_DIR.resolve(ifName + ".sock"));
            Files.deleteIfExists(config);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
