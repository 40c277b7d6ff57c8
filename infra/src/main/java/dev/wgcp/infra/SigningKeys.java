package dev.wgcp.infra;

import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The services' record-signing keys of a devstack or a test JVM: one Ed25519 key per service in
 * {@code <service>.key} (mode 0600, in a directory only its owner may enter), made at first use and
 * kept, so that agents configured with their public keys keep trusting a restarted devstack.
 */
public final class SigningKeys {

    private final Path dir;
    /** Keys read once: a test producer signing as a topic's owner asks for one per record. */
    private final java.util.Map<String, SigningKey> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    private SigningKeys(Path dir) {
        this.dir = dir;
    }

    public static SigningKeys inDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the signing key directory " + dir, e);
        }
        SigningKeys keys = new SigningKeys(dir);
        KafkaAccess.services().forEach(keys::keyFile);
        return keys;
    }

    /** The file of {@code service}'s key (or an edge's: {@code edge.<id>}), made first when absent. */
    public synchronized Path keyFile(String service) {
        Path f = dir.resolve(service + ".key");
        if (!Files.exists(f)) {
            SigningKey.generate().writeTo(f);
        }
        return f;
    }

    public SigningKey key(String service) {
        return loaded.computeIfAbsent(service, s -> SigningKey.fromFile(keyFile(s)));
    }

    /** The key of the service that owns {@code topic} (what it would sign with), or null for a topic no service owns. */
    public SigningKey ownerKey(String topic) {
        TopicSpec spec = Topics.byName(topic).orElse(null);
        return spec == null || KafkaAccess.owners(spec).isEmpty() ? null : key(KafkaAccess.owners(spec).get(0));
    }

    /** Edge {@code edgeId}'s agent's signing key file (what its {@code wgcp.agent.signing-key-file} names). */
    public Path edgeKeyFile(String edgeId) {
        return keyFile(KafkaAccess.edge(edgeId));
    }

    /** The public key edge {@code edgeId} signs its reports with (what the registry holds as its {@code signingKey}). */
    public String edgePublicKey(String edgeId) {
        return key(KafkaAccess.edge(edgeId)).publicKey().toBase64();
    }

    /** {@code wgcp.trust.<service>}: each service's public key, what agents are configured with. */
    public Map<String, Object> trustProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String s : KafkaAccess.services()) {
            p.put("wgcp.trust." + s, key(s).publicKey().toBase64());
        }
        return p;
    }
}
