package dev.wgcp.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

class InternalErrorsTest {

    @Test
    void aFailureAnswersAReferenceAndNeverTheExceptionsText() {
        var response = InternalErrors.internalError(HttpRequest.GET("/v1/pools"),
                new IllegalStateException("password=hunter2 at jdbc:postgresql://db/secret"));
        assertEquals(500, response.code());
        ErrorResponse body = response.body();
        assertEquals("internal_error", body.error());
        assertTrue(body.reference().matches("[0-9a-f]{12}"), body.reference());
        assertTrue(body.message().contains("under reference " + body.reference()), body.message());
        assertFalse(body.message().contains("hunter2") || body.message().contains("jdbc"), body.message());
        assertNotEquals(body.reference(), InternalErrors.reference(), "a fresh reference per failure");
    }
}
