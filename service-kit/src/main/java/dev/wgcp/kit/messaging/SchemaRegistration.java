package dev.wgcp.kit.messaging;

import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.SchemaRegistryException;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.kafka.KafkaTopics;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers every wgcp topic's schema with the schema registry when the service starts, with the
 * service's credentials: edge agents and the CLI have none (registering needs a writer's), so they
 * find the schemas of what they publish registered by the services. A registry that does not answer
 * yet is tried again every 10 s until every schema is in.
 */
@Singleton
@Requires(beans = SchemaRegistryClient.class)
public class SchemaRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);

    private final SchemaRegistryClient registry;
    private final AtomicBoolean done = new AtomicBoolean();

    public SchemaRegistration(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        registerAll();
    }

    @Scheduled(fixedDelay = "10s", initialDelay = "10s")
    void retry() {
        if (!done.get()) {
            registerAll();
        }
    }

    /** Registers every topic's schema (the client keeps what is registered already, so a retry asks only for the rest). */
    private void registerAll() {
        if (!registry.registers()) {
            return;
        }
        try {
            KafkaTopics.registerSchemas(registry);
            if (done.compareAndSet(false, true)) {
                LOG.info("the schemas of {} topics are registered at {}", Topics.all().size(), registry.baseUrl());
            }
        } catch (SchemaRegistryException e) {
            LOG.warn("cannot register the topics' schemas at {} yet, retrying in 10 s: {}", registry.baseUrl(), e.getMessage());
        }
    }
}
