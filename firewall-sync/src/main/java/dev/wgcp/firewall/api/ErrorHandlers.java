package dev.wgcp.firewall.api;

import dev.wgcp.firewall.domain.PolicyException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** A definition that cannot be accepted is answered 400, 404 or 409 with what was wrong and what is expected. */
@Produces
@Singleton
@Requires(classes = {PolicyException.class, ExceptionHandler.class})
public class ErrorHandlers implements ExceptionHandler<PolicyException, HttpResponse<ErrorHandlers.Problem>> {

    @Serdeable
    public record Problem(int status, String error, String message) {
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, PolicyException e) {
        HttpStatus status = switch (e.error()) {
            case "not_found" -> HttpStatus.NOT_FOUND;
            case "conflict" -> HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_REQUEST;
        };
        return HttpResponse.<Problem>status(status).body(new Problem(status.getCode(), e.error(), e.getMessage()));
    }
}
