package dev.wgcp.infra;

import dev.wgcp.schemas.kafka.KafkaCredentials;
import dev.wgcp.schemas.kafka.KafkaTls;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import kafka.server.KafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker from the {@code kafka_2.13} jars, in KRaft combined mode (broker and controller
 * in one node), listening on loopback only, with security on as in production: clients connect
 * with SASL/SCRAM-SHA-512 over TLS (the only client listener), the controller listener takes only
 * the broker itself (SASL PLAIN, loopback), and {@code StandardAuthorizer} denies whatever no ACL
 * allows. The broker and {@link KafkaAccess#ADMIN} are its super users; every other principal gets
 * exactly its grants from {@link KafkaAccess} through {@link #grant}. Its log directory, TLS
 * identity and credentials are made on first start and reused after, so a devstack keeps its topics
 * and its services their passwords across restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final int port;
    private final KafkaTls tls;
    private final KafkaCredentials credentials;

    private EmbeddedKafka(KafkaRaftServer server, int port, KafkaTls tls, KafkaCredentials credentials) {
        this.server = server;
        this.port = port;
        this.tls = tls;
        this.credentials = credentials;
    }

    /** Starts a broker on {@code 127.0.0.1:port} (0 picks a free port) with its data in {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port) throws IOException {
        int brokerPort = port == 0 ? Ports.free() : port;
        int controllerPort = Ports.free();
        Path logDir = dataDir.resolve("kraft-logs");
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        KafkaCredentials credentials = KafkaCredentials.inDirectory(dataDir.resolve("credentials"));
        if (formatted && !credentials.has(KafkaAccess.ADMIN)) {
            throw new IllegalStateException("the Kafka data in " + dataDir + " was made by an unauthenticated broker (before SASL and ACLs):"
                    + " its credentials cannot be recovered; move " + dataDir + " aside to start a new broker");
        }
        Files.createDirectories(logDir);
        KafkaTls tls = KafkaTls.inDirectory(dataDir.resolve("tls"));
        String brokerPassword = credentials.password(KafkaAccess.BROKER);
        String adminPassword = credentials.password(KafkaAccess.ADMIN);

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        // Clients only over TLS with SCRAM; the controller listener (loopback) takes only the broker itself.
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "SASL_SSL");
        props.put("sasl.enabled.mechanisms", KafkaConnection.MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", KafkaConnection.MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                KafkaConnection.jaas("org.apache.kafka.common.security.scram.ScramLoginModule", KafkaAccess.BROKER, brokerPassword));
        // SCRAM credentials live in the metadata the controller serves, so the controller's own listener uses PLAIN.
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + KafkaAccess.BROKER + "\" password=\""
                        + brokerPassword + "\" user_" + KafkaAccess.BROKER + "=\"" + brokerPassword + "\";");
        props.put("ssl.keystore.type", "PEM");
        props.put("ssl.keystore.location", tls.brokerKeyAndChain().toString());
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", tls.caCertificate().toString());
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + KafkaAccess.BROKER + ";User:" + KafkaAccess.ADMIN);
        // A revoked credential's open connections end at their next re-authentication, at most this long after.
        props.put("connections.max.reauth.ms", "300000");
        props.put("log.dirs", logDir.toString());
        // A single node: internal topics cannot have more replicas than that.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("offsets.topic.num.partitions", "5");
        // Consumers join at once instead of waiting 3 s for more members that never come.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose with their retention (see KafkaTopics), never by a typo.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "3");
        KafkaConfig config = new KafkaConfig(props, false);

        // Formatted on first start only: afterwards the directory holds the cluster id, the topics and the credentials.
        if (!formatted) {
            format(logDir, List.of(scram(KafkaAccess.BROKER, brokerPassword), scram(KafkaAccess.ADMIN, adminPassword)));
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, brokerPort, tls, credentials);
        LOG.info("Kafka broker (KRaft, SASL_SSL/SCRAM-SHA-512, ACLs) listening on {}", kafka.bootstrapServers());
        return kafka;
    }

    private static String scram(String user, String password) {
        return KafkaConnection.MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    /** The operator's super-user connection (creates topics, credentials and ACLs). */
    public KafkaConnection admin() {
        return connection(KafkaAccess.ADMIN);
    }

    /**
     * A connection as {@code principal} with the password kept for it here; the principal exists on
     * the broker once {@link #grant} named it (the super users always do).
     */
    public KafkaConnection connection(String principal) {
        return KafkaConnection.scram(bootstrapServers(), principal, credentials.password(principal), tls.caCertificate());
    }

    /** Where {@code principal}'s password is kept (what a service's {@code wgcp.kafka.password-file} names). */
    public Path passwordFile(String principal) {
        return credentials.passwordFile(principal);
    }

    /**
     * Whether {@code username} with {@code password} is a schema writer: a wgcp service's principal or
     * the super user, with the password kept for it here (the embedded schema registry's
     * {@link dev.wgcp.registry.schema.SchemaRegistryServer.Writers}). Edges and the audit principal read only.
     */
    public boolean acceptsSchemaWriter(String username, String password) {
        if (!(KafkaAccess.services().contains(username) || KafkaAccess.ADMIN.equals(username)) || !credentials.has(username)) {
            return false;
        }
        return java.security.MessageDigest.isEqual(credentials.password(username).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The PEM file of the CA that signed the broker's certificate (a client's {@code wgcp.kafka.truststore-file}). */
    public Path caCertificate() {
        return tls.caCertificate();
    }

    /** A Kafka client properties file (0600) for {@code principal}, beside its password (see {@link KafkaCredentials#clientConfigFile}). */
    public Path clientConfigFile(String principal) {
        return credentials.clientConfigFile(connection(principal));
    }

    /** Creates (or refreshes) the SCRAM credentials of {@code principals} and their ACLs from {@link KafkaAccess}. */
    public void grant(java.util.Collection<String> principals) {
        java.util.Map<String, String> passwords = new java.util.LinkedHashMap<>();
        principals.forEach(p -> passwords.put(p, credentials.password(p)));
        try (Admin admin = Admin.create(admin().properties("wgcp-access"))) {
            KafkaAccess.apply(admin, passwords);
        }
    }

    private static void format(Path logDir, List<String> scramUsers) throws IOException {
        try {
            new Formatter()
                    .setScramArguments(scramUsers)
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Features.PRODUCTION_FEATURES)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            // The message may quote the SCRAM arguments: it is not passed on, only its kind.
            throw new IOException("cannot format Kafka storage in " + logDir + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
