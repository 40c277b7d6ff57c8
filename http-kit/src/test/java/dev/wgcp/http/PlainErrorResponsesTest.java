package dev.wgcp.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlainErrorResponsesTest {

    @Test
    void parserMessagesKeepThePositionAndDropTheInternals() {
        assertEquals("Unexpected token VALUE_STRING, expected START_ARRAY (line 1, column 51)", PlainErrorResponses.readable(
                "Failed to convert argument [body] for value [null] due to: Unexpected token VALUE_STRING, expected START_ARRAY \n"
                        + " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 51]"));
        assertEquals("Invalid JSON: Unexpected end-of-input within/between Object entries (line 1, column 9)", PlainErrorResponses.readable(
                "Invalid JSON: Unexpected end-of-input within/between Object entries\n at [Source: REDACTED "
                        + "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 9]"));
        assertEquals("Required Body [body] not specified", PlainErrorResponses.readable("Required Body [body] not specified"));
        assertEquals("invalid_request", PlainErrorResponses.kind(400));
        assertEquals("not_found", PlainErrorResponses.kind(404));
    }
}
