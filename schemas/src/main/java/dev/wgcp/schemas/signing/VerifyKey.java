package dev.wgcp.schemas.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The public half of a {@link SigningKey}: 32 bytes, written in base64 like a WireGuard key. Its id
 * (the first 8 bytes of its SHA-256, in hex) travels with each signature so that a verifier trusting
 * two keys during a rotation knows which one to check.
 */
public final class VerifyKey {

    /** X.509 SubjectPublicKeyInfo header of an Ed25519 public key (RFC 8410), followed by the 32 raw bytes. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final byte[] raw;
    private final PublicKey key;
    private final String id;

    private VerifyKey(byte[] raw, PublicKey key) {
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
            byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
            System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
            return new VerifyKey(raw.clone(), KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getClass().getSimpleName());
        }
    }

    static VerifyKey of(PublicKey key) {
        byte[] der = key.getEncoded();
        return new VerifyKey(Arrays.copyOfRange(der, der.length - 32, der.length), key);
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
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
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
