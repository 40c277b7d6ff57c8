package dev.wgcp.kit.config;

import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.EventSerializer;
import dev.wgcp.schemas.SchemaRegistryClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka clients shared by a service's outbox relay, consumers and dead-letter writer. */
@Factory
public class KafkaFactory {

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
    KafkaProducer<String, SpecificRecord> eventProducer(KafkaSettings settings, SchemaRegistryClient registry,
                                                        @Value("${micronaut.application.name:wgcp}") String clientId) {
        Properties p = producerProps(settings, clientId + "-events");
        return new KafkaProducer<>(p, new StringSerializer(), new EventSerializer(registry));
    }

    @Singleton
    @Bean(preDestroy = "close")
    DeadLetters deadLetters(KafkaSettings settings, @Value("${micronaut.application.name:wgcp}") String clientId) {
        Properties p = producerProps(settings, clientId + "-dlq");
        return new DeadLetters(new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()), clientId);
    }

    static Properties producerProps(KafkaSettings settings, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.getBootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // Events are the audit log: wait for the broker's durable acknowledgement, never duplicate on retry.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Send at once: a peer change should reach the edges in milliseconds, batching comes from the relay.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // Fail a send after 30 s instead of the 2 min default so the relay retries visibly.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }
}
