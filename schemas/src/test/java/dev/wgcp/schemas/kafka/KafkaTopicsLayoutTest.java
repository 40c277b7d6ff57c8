package dev.wgcp.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KafkaTopicsLayoutTest {

    @Test
    void aLayoutThatCannotAcknowledgeWritesIsRefusedWithWhatIsExpected() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> new KafkaTopics.Layout(3, 1, 2));
        assertTrue(tooMany.getMessage().contains("min.insync.replicas must be 1 to the replication factor (1"), tooMany.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new KafkaTopics.Layout(3, 0, 1));
        assertTrue(none.getMessage().contains("at least 1 (3 in production)"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KafkaTopics.Layout(0, 3, 2));
        assertEquals(new KafkaTopics.Layout(3, 1, 1), KafkaTopics.Layout.singleBroker(3));
        assertEquals(2, new KafkaTopics.Layout(6, 3, 2).minInsyncReplicas());
    }
}
