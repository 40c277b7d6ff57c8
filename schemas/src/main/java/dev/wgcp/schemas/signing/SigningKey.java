package dev.wgcp.schemas.signing;

import dev.wgcp.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 key that signs the records a wgcp component publishes (the control plane's desired
 * state, an edge's reports). Kept in a file readable by its owner only, as one line of base64 of its
 * 32-byte seed followed by its 32-byte public key (libsodium's secret-key layout; loading checks
 * the two belong together). BouncyCastle's Ed25519 signs and verifies, about ten times faster than
 * the JDK's (docs/performance.md, change 16): every registration is signed twice and checked by
 * every edge. Its public half, 32 bytes in base64 like a WireGuard key, is what verifiers trust
 * ({@link TrustedKeys}). The seed never leaves this object but into its file.
 */
public final class SigningKey {

    private final Ed25519PrivateKeyParameters privateKey;
    private final VerifyKey publicKey;

    private SigningKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = VerifyKey.ofRaw(privateKey.generatePublicKey().getEncoded());
    }

    /** A new random key. */
    public static SigningKey generate() {
        return new SigningKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /** The key whose base64 seed and public key {@code file} holds (what {@link #writeTo} writes). */
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
        SigningKey key = new SigningKey(new Ed25519PrivateKeyParameters(both, 0));
        boolean matches = java.security.MessageDigest.isEqual(key.publicKey.raw(), Arrays.copyOfRange(both, 32, 64));
        Arrays.fill(both, (byte) 0);
        if (!matches) {
            throw new IllegalArgumentException("the signing key in " + file + " does not match the public key stored with it:"
                    + " the file is damaged; generate a new key (wgcp keys generate) and trust its public key");
        }
        return key;
    }

    /** Writes this key to {@code file} (mode 0600, created; an existing file is replaced atomically). */
    public void writeTo(Path file) {
        byte[] both = new byte[64];
        privateKey.encode(both, 0);
        System.arraycopy(publicKey.raw(), 0, both, 32, 32);
        String text = Base64.getEncoder().encodeToString(both);
        Arrays.fill(both, (byte) 0);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text + "\n");
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
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "SigningKey[" + id() + "]";
    }
}
