package dev.wgcp.ipam.api;

import dev.wgcp.ipam.domain.IpamException;
import dev.wgcp.ipam.service.AllocationExchange;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps refusals to 4xx with a message, and anything unexpected to 5xx without a stack trace. */
final class ErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    static HttpResponse<ErrorResponse> respond(HttpStatus status, String error, String message, List<String> errors) {
        return HttpResponse.<ErrorResponse>status(status).body(new ErrorResponse(status.getCode(), error, message, errors));
    }

    @Singleton
    @Produces
    @Requires(classes = {IpamException.class, ExceptionHandler.class})
    static class Refusals implements ExceptionHandler<IpamException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, IpamException e) {
            List<String> errors = e instanceof AllocationExchange.ImportRefused refused ? refused.errors() : null;
            return switch (e.kind()) {
                case INVALID -> respond(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage(), errors);
                case NOT_FOUND -> respond(HttpStatus.NOT_FOUND, "not_found", e.getMessage(), errors);
                case CONFLICT -> respond(HttpStatus.CONFLICT, "conflict", e.getMessage(), errors);
            };
        }
    }

    /** Constraint violations that slipped past the checks (two requests at the same instant), and database failures. */
    @Singleton
    @Produces
    @Requires(classes = {DataAccessException.class, ExceptionHandler.class})
    static class DataErrors implements ExceptionHandler<DataAccessException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, DataAccessException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && "23P01".equals(sql.getSQLState())) {
                    return respond(HttpStatus.CONFLICT, "conflict", "the change overlaps a pool or reservation made at the same time;"
                            + " list them (GET /v1/pools) and pick a range outside them", null);
                }
                if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return respond(HttpStatus.CONFLICT, "conflict", "the same pool, address or allocation was created at the same time;"
                            + " read it back and retry if needed", null);
                }
            }
            LOG.error("database error on {} {}", request.getMethod(), request.getPath(), e);
            return respond(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "ipam's database failed this request; retry shortly", null);
        }
    }
}
