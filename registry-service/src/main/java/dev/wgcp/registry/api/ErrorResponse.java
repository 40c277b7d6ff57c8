package dev.wgcp.registry.api;

import io.micronaut.serde.annotation.Serdeable;

/** Every API error: a short machine-readable kind and a message saying what was wrong and what is expected. */
@Serdeable
public record ErrorResponse(int status, String error, String message) {
}
