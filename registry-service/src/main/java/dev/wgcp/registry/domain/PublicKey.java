package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import java.util.Base64;

/**
 * A WireGuard public key: the standard base64 encoding of 32 bytes (44 characters ending in '=').
 * Only the canonical encoding is accepted, so one key has exactly one text form and uniqueness
 * checks on the text are checks on the key.
 */
public record PublicKey(String base64) {

    public PublicKey {
        base64 = validate(base64);
    }

    public static PublicKey parse(String text) {
        return new PublicKey(text);
    }

    private static String validate(String text) {
        if (text == null || text.isBlank()) {
            throw Refusal.invalid("publicKey is missing: expected a WireGuard public key, "
                    + "the base64 of 32 bytes as printed by 'wg pubkey' (44 characters ending in '=')");
        }
        String trimmed = text.strip();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("publicKey '" + abbreviate(trimmed) + "' is not valid base64: expected "
                    + "the base64 of 32 bytes as printed by 'wg pubkey' (44 characters ending in '=')");
        }
        if (bytes.length != 32) {
            throw Refusal.invalid("publicKey decodes to " + bytes.length + " bytes: a WireGuard key is "
                    + "32 bytes, base64 of 44 characters ending in '=' as printed by 'wg pubkey'");
        }
        String canonical = Base64.getEncoder().encodeToString(bytes);
        if (!canonical.equals(trimmed)) {
            throw Refusal.invalid("publicKey is not in canonical base64 form: expected '" + canonical + "'");
        }
        return canonical;
    }

    private static String abbreviate(String s) {
        return s.length() <= 48 ? s : s.substring(0, 45) + "...";
    }

    @Override
    public String toString() {
        return base64;
    }
}
