package dev.wgcp.registry.domain;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Base64;

/**
 * A WireGuard key pair made by the registry for a client that asks for one (Curve25519 through the
 * JDK's X25519). The private key is handed to the caller once and never stored or logged; {@link
 * #toString()} hides it.
 */
public record KeyPair(String privateKey, PublicKey publicKey) {

    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
            generator.initialize(255, random);
            java.security.KeyPair pair = generator.generateKeyPair();
            byte[] scalar = ((XECPrivateKey) pair.getPrivate()).getScalar()
                    .orElseThrow(() -> new IllegalStateException("the X25519 provider does not expose private keys"));
            byte[] u = littleEndian(((XECPublicKey) pair.getPublic()).getU());
            return new KeyPair(Base64.getEncoder().encodeToString(scalar), new PublicKey(Base64.getEncoder().encodeToString(u)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate X25519 keys: " + e.getMessage(), e);
        }
    }

    /** The u-coordinate as WireGuard writes it: 32 bytes, little-endian. */
    private static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < big.length && i < 32; i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "KeyPair[publicKey=" + publicKey + ", privateKey=(hidden)]";
    }
}
