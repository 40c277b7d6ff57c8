package dev.wgcp.infra;

import dev.wgcp.schemas.kafka.KafkaTopics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker as every wgcp deployment runs it: SASL/SCRAM over TLS, StandardAuthorizer,
 * nothing allowed that {@link KafkaAccess} does not grant. Each principal is tried against the
 * topics it must not touch, on the real broker.
 */
class KafkaSecurityIT {

    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        KafkaTopics.createAll(kafka.admin(), 1);
        List<String> principals = new java.util.ArrayList<>(KafkaAccess.services());
        principals.add(KafkaAccess.AUDIT);
        principals.add(KafkaAccess.edge("edge-a"));
        kafka.grant(principals);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Sends one record to {@code topic} as {@code as}; the exception the send ended with, or null when the broker took it. */
    private static Throwable produce(KafkaConnection as, String topic) {
        return KafkaProbe.produce(as.properties("test-" + as.username()), topic);
    }

    private static Throwable readMetadata(Properties p, String topic) {
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.partitionsFor(topic, Duration.ofSeconds(8));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void aClientWithoutCredentialsOrWithWrongOnesCannotConnect() {
        Properties plaintext = new Properties();
        plaintext.put("bootstrap.servers", kafka.bootstrapServers());
        assertInstanceOf(TimeoutException.class, readMetadata(plaintext, Topics.PEERS.name()),
                "a PLAINTEXT client gets no answer from the TLS listener");

        KafkaConnection wrongPassword = kafka.connection(KafkaAccess.IPAM).as(KafkaAccess.IPAM, "not-the-password");
        assertInstanceOf(SaslAuthenticationException.class, readMetadata(wrongPassword.properties("wrong"), Topics.PEERS.name()));
        KafkaConnection unknown = kafka.connection(KafkaAccess.IPAM).as("nobody", "any");
        assertInstanceOf(SaslAuthenticationException.class, readMetadata(unknown.properties("unknown"), Topics.PEERS.name()));

        Properties noTrust = kafka.connection(KafkaAccess.IPAM).properties("no-trust");
        noTrust.remove("ssl.truststore.type");
        noTrust.remove("ssl.truststore.location");
        assertTrue(readMetadata(noTrust, Topics.PEERS.name()) != null, "a client that does not trust the broker's CA does not talk to it");
    }

    @Test
    void anEdgeReadsTheDesiredStateAndCanNeverWriteIt() {
        KafkaConnection edge = kafka.connection(KafkaAccess.edge("edge-a"));
        for (TopicSpec t : List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS, Topics.CONFIG, Topics.ENDPOINTS)) {
            assertInstanceOf(AuthorizationException.class, produce(edge, t.name()), "edge writing " + t.name());
        }
        for (TopicSpec t : List.of(Topics.APPLIED, Topics.RULESET_ACKS, Topics.OBSERVATIONS)) {
            assertEquals(null, produce(edge, t.name()), "edge reporting on " + t.name());
        }
        for (TopicSpec t : List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS, Topics.CONFIG)) {
            assertEquals(null, readMetadata(edge.properties("edge-read"), t.name()), "edge reading " + t.name());
        }
        assertInstanceOf(AuthorizationException.class, readMetadata(edge.properties("edge-read"), Topics.ENDPOINTS.name()),
                "the tracker's endpoint history (public IPs of every peer) is not the edge's to read");
    }

    @Test
    void eachServiceWritesOnlyTheTopicsItOwns() {
        assertEquals(null, produce(kafka.connection(KafkaAccess.IPAM), Topics.ADDRESSES.name()));
        assertInstanceOf(AuthorizationException.class, produce(kafka.connection(KafkaAccess.IPAM), Topics.PEERS.name()));
        assertInstanceOf(AuthorizationException.class, produce(kafka.connection(KafkaAccess.REGISTRY), Topics.ADDRESSES.name()));
        assertInstanceOf(AuthorizationException.class, produce(kafka.connection(KafkaAccess.TRACKER), Topics.RULESETS.name()));
        assertInstanceOf(AuthorizationException.class, produce(kafka.connection(KafkaAccess.FIREWALL), Topics.PEERS.name()));
        for (TopicSpec t : Topics.all()) {
            assertInstanceOf(AuthorizationException.class, produce(kafka.connection(KafkaAccess.AUDIT), t.name()), "audit writing " + t.name());
            assertEquals(null, readMetadata(kafka.connection(KafkaAccess.AUDIT).properties("audit"), t.name()), "audit reading " + t.name());
        }
    }

    @Test
    void onlyTheAdministratorCreatesTopicsOrGrantsAccess() throws Exception {
        try (Admin edge = Admin.create(kafka.connection(KafkaAccess.edge("edge-a")).properties("edge-admin"))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> edge.createTopics(List.of(new NewTopic("wgcp.forged.v1", 1, (short) 1))).all().get());
            assertInstanceOf(AuthorizationException.class, e.getCause());
            e = assertThrows(ExecutionException.class, () -> KafkaAccessProbe.grantAll(edge));
            assertInstanceOf(AuthorizationException.class, e.getCause());
        }
    }

    @Test
    void anAuthenticatedPrincipalNoGrantNamesMayDoNothing() {
        kafka.grant(List.of("stranger"));
        KafkaConnection stranger = kafka.connection("stranger");
        assertInstanceOf(AuthorizationException.class, produce(stranger, Topics.APPLIED.name()));
        assertInstanceOf(AuthorizationException.class, readMetadata(stranger.properties("stranger"), Topics.PEERS.name()));
    }

    @Test
    void aRevokedPrincipalCanNeitherConnectNorAct() {
        String principal = KafkaAccess.edge("edge-leaked");
        kafka.grant(List.of(principal));
        KafkaConnection leaked = kafka.connection(principal);
        assertEquals(null, produce(leaked, Topics.APPLIED.name()));
        try (Admin admin = Admin.create(kafka.admin().properties("revoker"))) {
            KafkaAccess.revoke(admin, principal);
        }
        Throwable refused = produce(leaked, Topics.APPLIED.name());
        assertTrue(refused instanceof SaslAuthenticationException || refused instanceof AuthorizationException, String.valueOf(refused));
    }

    @Test
    void credentialsAreFilesOnlyTheirOwnerReads() throws Exception {
        Path f = kafka.passwordFile(KafkaAccess.IPAM);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(f));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                Files.getPosixFilePermissions(f.getParent()));
        Path config = kafka.clientConfigFile(KafkaAccess.AUDIT);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(config));
        String password = Files.readString(kafka.passwordFile(KafkaAccess.AUDIT)).strip();
        assertTrue(!kafka.connection(KafkaAccess.AUDIT).toString().contains(password), "a connection never shows its password");
    }

    /** What a stolen edge credential would try: grant itself the registry's rights. */
    private static final class KafkaAccessProbe {
        static void grantAll(Admin admin) throws Exception {
            admin.createAcls(List.of(new org.apache.kafka.common.acl.AclBinding(
                    new org.apache.kafka.common.resource.ResourcePattern(org.apache.kafka.common.resource.ResourceType.TOPIC, "*",
                            org.apache.kafka.common.resource.PatternType.LITERAL),
                    new org.apache.kafka.common.acl.AccessControlEntry("User:" + KafkaAccess.edge("edge-a"), "*",
                            org.apache.kafka.common.acl.AclOperation.ALL, org.apache.kafka.common.acl.AclPermissionType.ALLOW))))
                    .all().get();
        }
    }
}
