package dev.wgcp.schemas.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a wgcp record is signed: an Ed25519 signature over {@code "wgcp-record-v1" 0 topic 0 SHA-256(value)}
 * (the value's bytes as written, Confluent wire format included), carried in the record's headers
 * with the signing key's id. The topic is signed so that a record cannot be moved to a topic where
 * it would mean something else; the record key is not (the value serializer never sees it): every
 * event names its own subject, and consumers act on that, refusing records whose key disagrees.
 */
public final class RecordSignatures {

    /** Header with the id of the key that signed (ASCII hex, {@link VerifyKey#id()}). */
    public static final String KEY_ID_HEADER = "wgcp.sig.key";
    /** Header with the 64-byte Ed25519 signature. */
    public static final String SIGNATURE_HEADER = "wgcp.sig";

    private static final byte[] DOMAIN = "wgcp-record-v1".getBytes(StandardCharsets.US_ASCII);

    private RecordSignatures() {
    }

    /**
     * The bytes that are signed for {@code value} on {@code topic}: the value enters as its SHA-256,
     * so that a 500 KB ruleset costs one fast hash instead of Ed25519's two passes of SHA-512 over
     * it (firewall-sync's pass spacing multiplies a pass's time, signing included).
     */
    static byte[] message(String topic, byte[] value) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(value);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(DOMAIN.length + topic.length() + digest.length + 2);
        out.writeBytes(DOMAIN);
        out.write(0);
        out.writeBytes(topic.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(digest);
        return out.toByteArray();
    }

    /** Signs {@code value} for {@code topic} with {@code key}, replacing any signature headers already there. */
    public static void sign(SigningKey key, String topic, Headers headers, byte[] value) {
        headers.remove(KEY_ID_HEADER);
        headers.remove(SIGNATURE_HEADER);
        headers.add(KEY_ID_HEADER, key.id().getBytes(StandardCharsets.US_ASCII));
        headers.add(SIGNATURE_HEADER, key.sign(message(topic, value)));
    }

    /** The one value of header {@code name}, or null when it is absent; more than one counts as absent. */
    static byte[] single(Headers headers, String name) {
        byte[] found = null;
        for (Header h : headers.headers(name)) {
            if (found != null) {
                return null;
            }
            found = h.value();
        }
        return found;
    }
}
