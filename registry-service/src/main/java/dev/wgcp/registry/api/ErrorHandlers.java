package dev.wgcp.registry.api;

import dev.wgcp.registry.domain.AuthFailure;
import dev.wgcp.registry.domain.CredentialRefused;
import dev.wgcp.registry.domain.RegistryException;
import dev.wgcp.registry.security.AuthFailures;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps refusals to 4xx with a message, and anything unexpected to 500 without a stack trace. */
final class ErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    static io.micronaut.http.MutableHttpResponse<ErrorResponse> respond(HttpStatus status, String error, String message) {
        return HttpResponse.<ErrorResponse>status(status).body(new ErrorResponse(status.getCode(), error, message));
    }

    @Singleton
    @Produces
    @Requires(classes = {RegistryException.class, ExceptionHandler.class})
    static class Refusals implements ExceptionHandler<RegistryException, HttpResponse<ErrorResponse>> {

        private final AuthFailures authFailures;

        Refusals(AuthFailures authFailures) {
            this.authFailures = authFailures;
        }

        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, RegistryException e) {
            if (e.kind() == RegistryException.Kind.FORBIDDEN) {
                HttpRequest<?> r = request;
                authFailures.record(AuthFailure.NETWORK, r, r.getUserPrincipal().map(java.security.Principal::getName).orElse(null));
            }
            return switch (e.kind()) {
                case INVALID -> respond(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage());
                case NOT_FOUND -> respond(HttpStatus.NOT_FOUND, "not_found", e.getMessage());
                case CONFLICT -> respond(HttpStatus.CONFLICT, "conflict", e.getMessage());
                case NOT_READY -> respond(HttpStatus.CONFLICT, "not_ready", e.getMessage());
                case FORBIDDEN -> respond(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
            };
        }
    }

    /** A refused enrolment: 401 (400 when the request has no well-formed token), counted and logged without the token. */
    @Singleton
    @Produces
    @Requires(classes = {CredentialRefused.class, ExceptionHandler.class})
    static class EnrolmentRefusals implements ExceptionHandler<CredentialRefused, HttpResponse<ErrorResponse>> {

        private final AuthFailures authFailures;

        EnrolmentRefusals(AuthFailures authFailures) {
            this.authFailures = authFailures;
        }

        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, CredentialRefused e) {
            HttpRequest<?> r = request;
            authFailures.record(e.reason(), r, null);
            return e.reason() == AuthFailure.ENROLMENT_MALFORMED
                    ? respond(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage())
                    : respond(HttpStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
        }
    }

    /** Unique violations that slipped past the checks (two registrations of one key at the same instant). */
    @Singleton
    @Produces
    @Requires(classes = {DataAccessException.class, ExceptionHandler.class})
    static class DataErrors implements ExceptionHandler<DataAccessException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, DataAccessException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return respond(HttpStatus.CONFLICT, "conflict",
                            "this public key is already registered; each device needs its own key pair");
                }
            }
            LOG.error("database error on {} {}", request.getMethod(), request.getPath(), e);
            return respond(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                    "the registry's database failed this request; retry shortly");
        }
    }
}
