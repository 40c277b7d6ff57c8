package dev.wgcp.schemas.consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Handles one decoded event. Must be idempotent: records are delivered at least once. */
@FunctionalInterface
public interface EventHandler {

    void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) throws Exception;
}
