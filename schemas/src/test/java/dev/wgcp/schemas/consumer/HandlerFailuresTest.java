package dev.wgcp.schemas.consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;

class HandlerFailuresTest {

    @Test
    void outagesAreRetriedAndBadEventsAreNot() {
        // A database or broker that is down or busy: retried for as long as it takes.
        assertTrue(HandlerFailures.isTransient(new IllegalStateException("tx", new SQLTransientConnectionException("pool timed out"))));
        assertTrue(HandlerFailures.isTransient(new RuntimeException(new SQLException("connection refused", "08001"))));
        assertTrue(HandlerFailures.isTransient(new SQLException("could not serialize access", "40001")));
        assertTrue(HandlerFailures.isTransient(new SQLException("too many connections", "53300")));
        assertTrue(HandlerFailures.isTransient(new NotLeaderOrFollowerException("moving")));
        assertTrue(HandlerFailures.isTransient(new UncheckedIOException(new IOException("socket closed"))));
        assertTrue(HandlerFailures.isTransient(new dev.wgcp.schemas.SchemaRegistryException(503, 50003, "registry unreachable")));
        assertTrue(HandlerFailures.isTransient(new dev.wgcp.schemas.UnknownSchemaException(7, "http://127.0.0.1:8081/", null)));
        // What is about the event itself: dead-lettered after a few attempts.
        assertFalse(HandlerFailures.isTransient(new IllegalArgumentException("Invalid UUID string: not-a-uuid")));
        assertFalse(HandlerFailures.isTransient(new RuntimeException(new SQLException("value too long", "22001"))));
        assertFalse(HandlerFailures.isTransient(new NullPointerException()));
        assertFalse(HandlerFailures.isTransient(new dev.wgcp.schemas.SchemaRegistryException(409, 409, "incompatible schema")));
        assertTrue(HandlerFailures.describe(new IllegalStateException("batch", new IllegalArgumentException("Invalid UUID")))
                .equals("IllegalStateException: batch (cause IllegalArgumentException: Invalid UUID)"));
    }
}
