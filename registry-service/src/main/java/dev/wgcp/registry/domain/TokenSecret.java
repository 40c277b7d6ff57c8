package dev.wgcp.registry.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secret of a token: a prefix that says what it is for ({@code wgcp_} for API tokens,
 * {@code wgce_} for enrolment tokens, so that neither is accepted where the other is expected) and
 * 43 characters of URL-safe base64 (256 random bits). Stored only as its SHA-256: a secret of 256
 * random bits cannot be guessed from its hash, so a slow password hash would only slow every request.
 */
public enum TokenSecret {
    API("wgcp_"),
    ENROLMENT("wgce_"),
    /** Bound to one peer: lets the device rotate its own key. */
    PEER("wgcr_");

    private final String prefix;
    private final Pattern format;

    TokenSecret(String prefix) {
        this.prefix = prefix;
        this.format = Pattern.compile(Pattern.quote(prefix) + "[A-Za-z0-9_-]{43}");
    }

    public String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code text} has the shape of such a token (it may still be unknown). */
    public boolean wellFormed(String text) {
        return text != null && format.matcher(text).matches();
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
