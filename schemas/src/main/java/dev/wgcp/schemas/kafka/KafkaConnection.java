package dev.wgcp.schemas.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a wgcp client reaches the brokers and who it is there: every client authenticates with
 * SASL/SCRAM-SHA-512 over TLS, as one principal (one per service, one per edge agent, one read-only
 * for audits; docs/security.md). There is no unauthenticated mode.
 *
 * <p>The password lives only in memory and in the client's {@code sasl.jaas.config}, which Kafka's
 * clients log as {@code [hidden]}; {@link #toString()} never shows it.
 */
public final class KafkaConnection {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

    /** The one SASL mechanism wgcp's brokers enable for clients. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final String bootstrapServers;
    private final String username;
    private final String password;
    private final Path trustedCertificates;

    private KafkaConnection(String bootstrapServers, String username, String password, Path trustedCertificates) {
        this.bootstrapServers = bootstrapServers;
        this.username = username;
        this.password = password;
        this.trustedCertificates = trustedCertificates;
    }

    /**
     * A connection as {@code username}; {@code trustedCertificates} is a PEM file of the CA
     * certificates that sign the brokers' certificates, or null for the JVM's default trust store.
     */
    public static KafkaConnection scram(String bootstrapServers, String username, String password, Path trustedCertificates) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are missing: expected host:port[,host:port...]");
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("the Kafka username is missing: every wgcp client authenticates with SASL/"
                    + MECHANISM + " (set wgcp.kafka.username, env KAFKA_USERNAME)");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the Kafka password of " + username + " is missing: set wgcp.kafka.password-file "
                    + "(env KAFKA_PASSWORD_FILE, a file holding only the password) or KAFKA_PASSWORD");
        }
        if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the Kafka password of " + username + " spans several lines: expected one line");
        }
        if (trustedCertificates != null && !Files.isReadable(trustedCertificates)) {
            throw new IllegalArgumentException("the Kafka CA certificate file " + trustedCertificates + " cannot be read: expected a "
                    + "PEM file of the certificates that sign the brokers' (wgcp.kafka.truststore-file, env KAFKA_TRUSTSTORE_FILE)");
        }
        return new KafkaConnection(bootstrapServers.strip(), username.strip(), password, trustedCertificates);
    }

    /**
     * A connection from operator settings: the password from {@code passwordFile} when set (one line;
     * a file readable by others is named in a warning), else {@code password}.
     */
    public static KafkaConnection fromSettings(String bootstrapServers, String username, String passwordFile, String password,
                                               String truststoreFile) {
        String secret = password;
        if (passwordFile != null && !passwordFile.isBlank()) {
            secret = readSecret(Path.of(passwordFile.strip()), "Kafka password of " + username);
        }
        Path trust = truststoreFile == null || truststoreFile.isBlank() ? null : Path.of(truststoreFile.strip());
        return scram(bootstrapServers, username, secret, trust);
    }

    /** The one line a secret file holds (a trailing newline is not part of it). */
    public static String readSecret(Path file, String what) {
        try {
            warnIfOthersMayRead(file, what);
            String s = Files.readString(file);
            return s.endsWith("\n") ? s.substring(0, s.length() - (s.endsWith("\r\n") ? 2 : 1)) : s;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " from " + file + ": " + e.getClass().getSimpleName()
                    + "; expected a file readable by this process holding only the secret");
        }
    }

    private static void warnIfOthersMayRead(Path file, String what) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} is readable by every user ({}): make it readable by its owner only (chmod 600)", file, what);
            }
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system, or the mode cannot be read: the read below says what is wrong
        }
    }

    /**
     * A schema registry client that registers schemas as this principal, with its password: the
     * schema registry accepts the wgcp services' principals as its writers (docs/security.md).
     */
    public dev.wgcp.schemas.SchemaRegistryClient schemaRegistry(String url) {
        return dev.wgcp.schemas.SchemaRegistryClient.withCredentials(url, username, password);
    }

    /** The same brokers and trust, as another principal. */
    public KafkaConnection as(String otherUsername, String otherPassword) {
        return scram(bootstrapServers, otherUsername, otherPassword, trustedCertificates);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String username() {
        return username;
    }

    /** The PEM file of trusted CA certificates, or null for the JVM's default trust store. */
    public Path trustedCertificates() {
        return trustedCertificates;
    }

    /** Client settings for a producer, consumer or admin client named {@code clientId}. */
    public Properties properties(String clientId) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (clientId != null) {
            p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        }
        p.putAll(securityProperties());
        return p;
    }

    /** Just the security settings (what a Kafka tool's {@code --command-config} file holds besides the brokers). */
    public Properties securityProperties() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas("org.apache.kafka.common.security.scram.ScramLoginModule", username, password));
        if (trustedCertificates != null) {
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustedCertificates.toString());
        }
        return p;
    }

    /** A JAAS line for {@code module} with a quoted username and password. */
    public static String jaas(String module, String username, String password) {
        return module + " required username=\"" + quote(username) + "\" password=\"" + quote(password) + "\";";
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaConnection k && k.bootstrapServers.equals(bootstrapServers) && k.username.equals(username)
                && k.password.equals(password) && Objects.equals(k.trustedCertificates, trustedCertificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootstrapServers, username);
    }

    @Override
    public String toString() {
        return "Kafka " + bootstrapServers + " as " + username + " (SASL_SSL " + MECHANISM + ")";
    }
}
