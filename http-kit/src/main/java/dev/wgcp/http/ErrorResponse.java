package dev.wgcp.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Every error any wgcp API answers: the status, a short machine-readable kind, a message saying what
 * was wrong and what is expected, one entry per refused item where there are several (an import's
 * rows), and for a failure of the service itself the reference under which its log has the details.
 */
@Serdeable
public record ErrorResponse(int status, String error, String message, @Nullable List<String> errors, @Nullable String reference) {

    public ErrorResponse(int status, String error, String message) {
        this(status, error, message, null, null);
    }
}
