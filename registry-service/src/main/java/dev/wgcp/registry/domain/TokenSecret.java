package dev.wgcp.registry.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secret half of an API token: {@code wgcp_} and 43 characters of URL-safe base64 (256 random
 * bits). Stored only as its SHA-256: a secret of 256 random bits cannot be guessed from its hash,
 * so a slow password hash would only slow every request down.
 */
public final class TokenSecret {

    private static final String PREFIX = "wgcp_";
    private static final Pattern FORMAT = Pattern.compile("wgcp_[A-Za-z0-9_-]{43}");

    private TokenSecret() {
    }

    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code text} has the shape of a token (it may still be unknown). */
    public static boolean wellFormed(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
