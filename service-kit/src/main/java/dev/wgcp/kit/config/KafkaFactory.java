package dev.wgcp.kit.config;

import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.signing.SigningKey;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Kafka clients shared by a service's outbox relay, consumers and dead-letter writer. */
@Factory
public class KafkaFactory {

    /** The service's authenticated connection; a missing or unreadable credential stops the start with what to set. */
    @Singleton
    KafkaConnection kafkaConnection(KafkaSettings settings) {
        return KafkaConnection.fromSettings(settings.getBootstrapServers(), settings.getUsername(), settings.getPasswordFile(),
                settings.getPassword(), settings.getTruststoreFile());
    }

    /** Registers schemas with the service's own principal and password (the schema registry's writers are the services). */
    @Singleton
    SchemaRegistryClient schemaRegistryClient(KafkaSettings settings, KafkaConnection kafka) {
        return kafka.schemaRegistry(settings.getSchemaRegistryUrl());
    }

    /** How this instance is a member of its consumer groups; a bad setting stops the start with what is expected. */
    @Singleton
    dev.wgcp.schemas.consumer.GroupMembership groupMembership(KafkaSettings settings) {
        try {
            return new dev.wgcp.schemas.consumer.GroupMembership(settings.getSessionTimeout(), settings.getInstanceId());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("wgcp.kafka.session-timeout / instance-id: " + e.getMessage(), e);
        }
    }

    @Singleton
    EventDeserializer eventDeserializer(SchemaRegistryClient registry) {
        return new EventDeserializer(registry);
    }

    /**
     * The key every record this service publishes is signed with ({@code wgcp.signing.key-file}):
     * edge agents apply only records signed by the keys they trust (docs/security.md). Required.
     */
    @Singleton
    SigningKey signingKey(@Value("${wgcp.signing.key-file:}") String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("wgcp.signing.key-file is not set (env WGCP_SIGNING_KEY_FILE): every record a wgcp service"
                    + " publishes is signed, and edges apply nothing unsigned; make a key with 'wgcp keys generate --out FILE' and"
                    + " configure the agents to trust the public key it prints");
        }
        return SigningKey.fromFile(java.nio.file.Path.of(file.strip()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    KafkaProducer<String, byte[]> eventProducer(KafkaConnection kafka, SigningKey signer,
                                                @Value("${micronaut.application.name:wgcp}") String clientId) {
        return Producers.encodedEvents(kafka, clientId + "-events", signer);
    }

    @Singleton
    @Bean(preDestroy = "close")
    DeadLetters deadLetters(KafkaConnection kafka, @Value("${micronaut.application.name:wgcp}") String clientId) {
        return Producers.deadLetters(kafka, clientId);
    }
}
