package dev.wgcp.schemas.signing;

import dev.wgcp.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 key that signs the records a wgcp component publishes (the control plane's desired
 * state, an edge's reports). Kept in a file readable by its owner only, as one line of base64 of its
 * 32-byte seed followed by its 32-byte public key (libsodium's secret-key layout; the JDK cannot
 * derive the public key from the seed, and loading checks the two belong together). Its public
 * half, 32 bytes in base64 like a WireGuard key, is what verifiers trust ({@link TrustedKeys}). The
 * seed never leaves this object but into its file.
 */
public final class SigningKey {

    /** PKCS#8 header of an Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

    private final PrivateKey privateKey;
    private final VerifyKey publicKey;

    private SigningKey(PrivateKey privateKey, VerifyKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new random key. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(pair.getPrivate(), VerifyKey.of(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (Java 15 or later has)", e);
        }
    }

    /** The key whose base64 seed {@code file} holds (what {@link #writeTo} writes). */
    public static SigningKey fromFile(Path file) {
        String text = KafkaConnection.readSecret(file, "signing key").strip();
        byte[] both;
        try {
            both = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signing key in " + file + " is not base64: expected one line of base64 of the"
                    + " 32-byte Ed25519 seed and the 32-byte public key (wgcp keys generate writes one)");
        }
        if (both.length != 64) {
            throw new IllegalArgumentException("the signing key in " + file + " has " + both.length + " bytes: expected 64, the"
                    + " Ed25519 seed and its public key (wgcp keys generate writes one)");
        }
        SigningKey key = of(Arrays.copyOfRange(both, 0, 32), VerifyKey.ofRaw(Arrays.copyOfRange(both, 32, 64)));
        Arrays.fill(both, (byte) 0);
        byte[] probe = "wgcp signing key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (!key.publicKey.verifies(probe, key.sign(probe))) {
            throw new IllegalArgumentException("the signing key in " + file + " does not match the public key stored with it:"
                    + " the file is damaged; generate a new key (wgcp keys generate) and trust its public key");
        }
        return key;
    }

    private static SigningKey of(byte[] seed, VerifyKey publicKey) {
        try {
            byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
            System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, 32);
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            Arrays.fill(der, (byte) 0);
            Arrays.fill(seed, (byte) 0);
            return new SigningKey(key, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 seed: " + e.getClass().getSimpleName());
        }
    }

    /** Writes this key to {@code file} (mode 0600, created; an existing file is replaced atomically). */
    public void writeTo(Path file) {
        byte[] encoded = privateKey.getEncoded();
        byte[] both = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length + 32);
        System.arraycopy(publicKey.raw(), 0, both, 32, 32);
        String seed = Base64.getEncoder().encodeToString(both);
        Arrays.fill(encoded, (byte) 0);
        Arrays.fill(both, (byte) 0);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, seed + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key to " + file, e);
        }
    }

    /** The public half, which verifiers are configured to trust. */
    public VerifyKey publicKey() {
        return publicKey;
    }

    /** The key id that goes with every signature (derived from the public key). */
    public String id() {
        return publicKey.id();
    }

    /** The Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + id() + "]";
    }
}
