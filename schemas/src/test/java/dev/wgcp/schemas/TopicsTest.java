package dev.wgcp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import java.util.HashSet;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void topicNamesAreUniqueAndSubjectsFollowTopicNameStrategy() {
        assertEquals(Topics.all().size(), new HashSet<>(Topics.all().stream().map(TopicSpec::name).toList()).size());
        assertEquals("wgcp.peers.v1-value", Topics.PEERS.valueSubject());
    }

    @Test
    void eachTopicCarriesOnlyItsEvents() {
        assertTrue(Topics.PEERS.carries(PeerRegistered.getClassSchema()));
        assertTrue(Topics.PEERS.carries(KeyRevoked.getClassSchema()));
        assertFalse(Topics.PEERS.carries(AddressAssigned.getClassSchema()));
        assertTrue(Topics.ADDRESSES.carries(AddressAssigned.getClassSchema()));
    }

    @Test
    void everyFieldOfEveryEventIsDocumented() {
        for (TopicSpec topic : Topics.all()) {
            for (Schema record : topic.valueSchema().getTypes()) {
                assertDocumented(record);
            }
        }
    }

    private static void assertDocumented(Schema record) {
        assertTrue(record.getDoc() != null && !record.getDoc().isBlank(), record.getFullName() + " has no doc");
        for (Schema.Field f : record.getFields()) {
            assertTrue(f.doc() != null && !f.doc().isBlank(), record.getFullName() + "." + f.name() + " has no doc");
            if (f.schema().getType() == Schema.Type.RECORD) {
                assertDocumented(f.schema());
            } else if (f.schema().getType() == Schema.Type.ARRAY && f.schema().getElementType().getType() == Schema.Type.RECORD) {
                assertDocumented(f.schema().getElementType());
            }
        }
    }
}
