package dev.wgcp.schemas.signing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The public half of a {@link SigningKey}: 32 bytes, written in base64 like a WireGuard key. Its id
 * (the first 8 bytes of its SHA-256, in hex) travels with each signature so that a verifier trusting
 * two keys during a rotation knows which one to check.
 */
public final class VerifyKey {

    private final byte[] raw;
    private final Ed25519PublicKeyParameters key;
    private final String id;

    private VerifyKey(byte[] raw, Ed25519PublicKeyParameters key) {
        this.raw = raw;
        this.key = key;
        try {
            this.id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key from its base64 form; the error says what was expected. */
    public static VerifyKey parse(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + base64 + "' is not a signing public key: expected 32 bytes in base64"
                    + " (what wgcp keys generate prints)");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("'" + base64 + "' is not a signing public key: it has " + raw.length
                    + " bytes, expected 32 in base64 (what wgcp keys generate prints)");
        }
        return ofRaw(raw);
    }

    static VerifyKey ofRaw(byte[] raw) {
        try {
            return new VerifyKey(raw.clone(), new Ed25519PublicKeyParameters(raw, 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage());
        }
    }

    public String id() {
        return id;
    }

    byte[] raw() {
        return raw.clone();
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    public boolean verifies(byte[] message, byte[] signature) {
        if (signature == null || signature.length != 64) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyKey k && Arrays.equals(k.raw, raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return toBase64() + " (id " + id + ")";
    }
}
