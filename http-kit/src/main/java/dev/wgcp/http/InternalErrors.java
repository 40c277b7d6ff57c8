package dev.wgcp.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of the service itself: answered 500 "internal error" with a fresh reference, logged with
 * the same reference, the request line and the stack trace. The exception's text never reaches the
 * caller: it may name files, hosts, SQL or secrets.
 */
public final class InternalErrors {

    private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private InternalErrors() {
    }

    /** A fresh reference for a failure: what the user quotes and the log holds (12 hex digits). */
    public static String reference() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** 500 without the exception's text; the log has the reference, the request line and the stack trace. */
    public static MutableHttpResponse<ErrorResponse> internalError(HttpRequest<?> request, @Nullable Throwable cause) {
        String reference = reference();
        LOG.error("internal error {} on {} {}", reference, request.getMethodName(), request.getPath(), cause);
        return HttpResponse.<ErrorResponse>status(HttpStatus.INTERNAL_SERVER_ERROR).body(new ErrorResponse(500, "internal_error",
                "internal error: the service failed this request; its log has the details under reference " + reference, null, reference));
    }

    /** Anything a route throws that no more specific handler answers. */
    @Singleton
    @Produces
    @Requires(classes = ExceptionHandler.class)
    static class Unexpected implements ExceptionHandler<Exception, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, Exception e) {
            return internalError(request, e);
        }
    }
}
