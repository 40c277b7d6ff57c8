package dev.wgcp.firewall.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A complete nft script for one edge's table, the tunnel addresses it lets in, and its content hash. */
public record Ruleset(String edgeId, String table, String text, java.util.List<String> allowedAddresses) {

    public Ruleset(String edgeId, String table, String text) {
        this(edgeId, table, text, java.util.List.of());
    }

    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
