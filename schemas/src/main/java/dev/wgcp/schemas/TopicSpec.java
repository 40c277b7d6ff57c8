package dev.wgcp.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A wgcp topic: its name, the Avro union of the event records it carries, and whether it is a
 * compacted state topic rather than an event log.
 *
 * <p>All of one peer's events from one producer share a topic (keyed by peer id) so that Kafka keeps
 * them in order; the value schema is therefore a union of record types, registered under the
 * subject {@code <topic>-value} (Confluent's TopicNameStrategy).
 */
public record TopicSpec(String name, Schema valueSchema, String description, boolean compacted) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueSchema, "valueSchema");
        if (valueSchema.getType() != Schema.Type.UNION) {
            throw new IllegalArgumentException("value schema of " + name + " must be a union of records");
        }
    }

    /** An event topic: the audit log, kept whole. */
    static TopicSpec of(String name, String description, Schema... records) {
        return new TopicSpec(name, Schema.createUnion(List.of(records)), description, false);
    }

    /** A state topic: compacted, the latest record per key is the state. */
    static TopicSpec compacted(String name, String description, Schema... records) {
        return new TopicSpec(name, Schema.createUnion(List.of(records)), description, true);
    }

    /** Subject under which the value schema is registered (TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }

    /** Whether {@code schema} is one of the record types this topic carries. */
    public boolean carries(Schema schema) {
        return valueSchema.getTypes().stream().anyMatch(s -> s.getFullName().equals(schema.getFullName()));
    }
}
