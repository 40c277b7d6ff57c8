package dev.wgcp.kit.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the broker and the schema registry are, and who this service is on the broker
 * ({@code wgcp.kafka.*}): a SCRAM username with its password from a file (or the environment), over
 * TLS with the brokers' CA certificate from a PEM file (docs/operations.md).
 */
@ConfigurationProperties("wgcp.kafka")
public class KafkaSettings {

    private String bootstrapServers = "127.0.0.1:9092";
    private String schemaRegistryUrl = "http://127.0.0.1:8081";
    private String username;
    private String passwordFile;
    private String password;
    private String truststoreFile;
    private java.time.Duration sessionTimeout = java.time.Duration.ofSeconds(6);
    private String instanceId;

    /**
     * How long the group waits for a member that stopped heartbeating before its partitions go to the
     * others (6 s: the brokers' default minimum, {@code group.min.session.timeout.ms}).
     */
    public java.time.Duration getSessionTimeout() {
        return sessionTimeout;
    }

    public void setSessionTimeout(java.time.Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    /**
     * This instance's stable id in its consumer groups (static membership: restarted within the session
     * timeout, it takes its partitions back without a rebalance); unique per running instance, e.g. a
     * StatefulSet's pod name. Unset: a dynamic member.
     */
    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getSchemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    public void setSchemaRegistryUrl(String schemaRegistryUrl) {
        this.schemaRegistryUrl = schemaRegistryUrl;
    }

    /** The service's SCRAM principal on the brokers (its service name unless an operator chose another). */
    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    /** A file holding only the principal's password (mode 0600); preferred to {@link #getPassword()}. */
    public String getPasswordFile() {
        return passwordFile;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    /** The password itself, for environments that inject secrets as variables (KAFKA_PASSWORD). */
    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** PEM file of the CA certificates that sign the brokers'; unset: the JVM's default trust store. */
    public String getTruststoreFile() {
        return truststoreFile;
    }

    public void setTruststoreFile(String truststoreFile) {
        this.truststoreFile = truststoreFile;
    }

    @Override
    public String toString() {
        return "KafkaSettings[" + bootstrapServers + " as " + username + "]";
    }
}
