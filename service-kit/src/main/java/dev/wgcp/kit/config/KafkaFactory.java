package dev.wgcp.kit.config;

import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.KafkaConnection;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
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

    @Singleton
    SchemaRegistryClient schemaRegistryClient(KafkaSettings settings) {
        return new SchemaRegistryClient(settings.getSchemaRegistryUrl());
    }

    @Singleton
    EventDeserializer eventDeserializer(SchemaRegistryClient registry) {
        return new EventDeserializer(registry);
    }

    @Singleton
    @Bean(preDestroy = "close")
    KafkaProducer<String, SpecificRecord> eventProducer(KafkaConnection kafka, SchemaRegistryClient registry,
                                                        @Value("${micronaut.application.name:wgcp}") String clientId) {
        return Producers.events(kafka, registry, clientId + "-events");
    }

    @Singleton
    @Bean(preDestroy = "close")
    DeadLetters deadLetters(KafkaConnection kafka, @Value("${micronaut.application.name:wgcp}") String clientId) {
        return Producers.deadLetters(kafka, clientId);
    }
}
