package dev.wgcp.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Key handling through wireguard-tools, with private keys only ever in 0600 temp files or pipes. */
public final class WgKeys {

    private WgKeys() {
    }

    public static String generatePrivateKey() {
        return Shell.run("wg", "genkey").strip();
    }

    public static String publicKey(String privateKey) {
        try {
            Process p = new ProcessBuilder("wg", "pubkey").redirectErrorStream(true).start();
            p.getOutputStream().write((privateKey + "\n").getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("wg pubkey failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sets the interface's private key (and listen port when > 0) without the key touching a command line. */
    public static void setPrivateKey(String ifName, String privateKey, int listenPort) {
        Path file = null;
        try {
            file = Files.createTempFile("wgcp-key", ".key", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, privateKey + "\n");
            List<String> cmd = new ArrayList<>(List.of("wg", "set", ifName, "private-key", file.toString()));
            if (listenPort > 0) {
                cmd.addAll(List.of("listen-port", String.valueOf(listenPort)));
            }
            Shell.run(cmd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // temp dir cleanup
                }
            }
        }
    }
}
