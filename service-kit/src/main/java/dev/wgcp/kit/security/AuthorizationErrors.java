package dev.wgcp.kit.security;

import dev.wgcp.http.ErrorResponse;
import dev.wgcp.kit.domain.AuthFailure;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * 401, 403 and 503 with a JSON message saying what was wrong and what is expected; each counted and
 * logged ({@link AuthFailures}), never with the credential.
 */
@Singleton
@Produces
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrors implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    private final AuthFailures failures;

    public AuthorizationErrors(AuthFailures failures) {
        this.failures = failures;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
        HttpRequest<?> r = request;
        if (e.isForbidden() && e.getAuthentication() != null) {
            Caller caller = Caller.of(e.getAuthentication());
            AuthFailure reason = r.getAttribute(AccessRule.REFUSED, AuthFailure.class).orElse(AuthFailure.SCOPE);
            failures.record(reason, r, caller.tokenName());
            String message = r.getAttribute(AccessRule.REFUSED_MESSAGE, String.class).orElseGet(() -> caller.via() + " '"
                    + caller.tokenName() + "' has scope " + caller.scope().label() + ", which does not allow "
                    + r.getMethodName() + " " + r.getPath());
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(new ErrorResponse(403, "forbidden", message));
        }
        AuthFailure reason = r.getAttribute(AuthFailures.ATTRIBUTE, AuthFailure.class)
                .orElseGet(() -> r.getHeaders().contains(HttpHeaders.AUTHORIZATION) ? AuthFailure.MALFORMED : AuthFailure.MISSING);
        failures.record(reason, r, r.getAttribute(AuthFailures.TOKEN_ATTRIBUTE, String.class).orElse(null));
        if (reason == AuthFailure.UNAVAILABLE) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(new ErrorResponse(503, "unavailable", reason.message()));
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(new ErrorResponse(401, "unauthorized", reason.message()));
    }
}
