package dev.wgcp.kit.api;

import dev.wgcp.http.ErrorResponse;
import dev.wgcp.http.InternalErrors;
import dev.wgcp.kit.domain.AuthFailure;
import dev.wgcp.kit.domain.CredentialRefused;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.security.AuthFailures;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.security.Principal;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error model of every wgcp service's API: a {@link Refusal} is answered with its status and
 * message, a refused credential with 401, a database conflict with 409, and anything unexpected with
 * 500 "internal error" and a reference that is in the log with the stack trace ({@link InternalErrors},
 * in http-kit, which the edge agents share): never an exception's text to a user.
 */
public final class ErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    static MutableHttpResponse<ErrorResponse> respond(int status, String error, String message) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.valueOf(status)).body(new ErrorResponse(status, error, message));
    }

    /**
     * What a service says about a unique or exclusion violation that slipped past its checks (two
     * requests at the same instant), by SQL state; a service without one gets a generic message.
     */
    public interface DatabaseConflicts {
        Optional<String> message(String sqlState);
    }

    @Singleton
    @Produces
    @Requires(classes = {Refusal.class, ExceptionHandler.class})
    static class Refusals implements ExceptionHandler<Refusal, HttpResponse<ErrorResponse>> {

        private final AuthFailures authFailures;

        Refusals(AuthFailures authFailures) {
            this.authFailures = authFailures;
        }

        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, Refusal e) {
            if (e.kind() == Refusal.Kind.FORBIDDEN) {
                HttpRequest<?> r = request;
                authFailures.record(AuthFailure.NETWORK, r, r.getUserPrincipal().map(Principal::getName).orElse(null));
            }
            return HttpResponse.<ErrorResponse>status(HttpStatus.valueOf(e.kind().status()))
                    .body(new ErrorResponse(e.kind().status(), e.kind().error(), e.getMessage(), e.errors(), null));
        }
    }

    /** A refused enrolment or peer token: 401 (400 when the request has no well-formed token), counted and logged without the token. */
    @Singleton
    @Produces
    @Requires(classes = {CredentialRefused.class, ExceptionHandler.class})
    static class CredentialRefusals implements ExceptionHandler<CredentialRefused, HttpResponse<ErrorResponse>> {

        private final AuthFailures authFailures;

        CredentialRefusals(AuthFailures authFailures) {
            this.authFailures = authFailures;
        }

        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, CredentialRefused e) {
            HttpRequest<?> r = request;
            authFailures.record(e.reason(), r, null);
            return e.reason() == AuthFailure.ENROLMENT_MALFORMED
                    ? respond(400, "invalid_request", e.getMessage())
                    : respond(401, "unauthorized", e.getMessage());
        }
    }

    /** Unique and exclusion violations that slipped past the checks answer 409; other database failures 503 with a reference. */
    @Singleton
    @Produces
    @Requires(classes = {DataAccessException.class, ExceptionHandler.class})
    static class DataErrors implements ExceptionHandler<DataAccessException, HttpResponse<ErrorResponse>> {

        private final Optional<DatabaseConflicts> conflicts;

        DataErrors(Optional<DatabaseConflicts> conflicts) {
            this.conflicts = conflicts;
        }

        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, DataAccessException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState()) || "23P01".equals(sql.getSQLState()))) {
                    return respond(409, "conflict", conflicts.flatMap(c -> c.message(sql.getSQLState()))
                            .orElse("the same thing was created or changed by another request at the same time; read it back and retry if needed"));
                }
            }
            String reference = InternalErrors.reference();
            LOG.error("database error {} on {} {}", reference, request.getMethodName(), request.getPath(), e);
            return HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE).body(new ErrorResponse(503, "unavailable",
                    "the service's database failed this request; retry shortly (reference " + reference + " in its log)", null, reference));
        }
    }

    /**
     * The schema registry could not give the id of an event's schema (it was not reachable when the
     * service started and is not now): the change and its event are rolled back together, 503.
     */
    @Singleton
    @Produces
    @Requires(classes = {dev.wgcp.schemas.SchemaRegistryException.class, ExceptionHandler.class})
    static class SchemaRegistryErrors implements ExceptionHandler<dev.wgcp.schemas.SchemaRegistryException, HttpResponse<ErrorResponse>> {

        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, dev.wgcp.schemas.SchemaRegistryException e) {
            String reference = InternalErrors.reference();
            LOG.error("schema registry error {} on {} {}: {}", reference, request.getMethodName(), request.getPath(), e.getMessage());
            return HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE).body(new ErrorResponse(503, "unavailable",
                    "the schema registry could not be reached to write this change's event, so nothing was changed; retry shortly"
                            + " (reference " + reference + " in the service's log)", null, reference));
        }
    }
}
