package dev.wgcp.ipam.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Every API error: a short machine-readable kind, a message saying what was wrong and what is
 * expected, and for a refused import one entry per bad row.
 */
@Serdeable
public record ErrorResponse(int status, String error, String message, @Nullable List<String> errors) {
}
