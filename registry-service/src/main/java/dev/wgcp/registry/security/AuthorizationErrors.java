package dev.wgcp.registry.security;

import dev.wgcp.registry.api.ErrorResponse;
import dev.wgcp.registry.domain.ApiScope;
import dev.wgcp.registry.domain.AuthFailure;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.stream.Collectors;

/** 401 and 403 with a JSON message saying what was wrong and what is expected; each counted and logged. */
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
        if (e.isForbidden() && e.getAuthentication() != null) {
            Caller caller = Caller.of(e.getAuthentication());
            failures.record(AuthFailure.SCOPE, request, caller.tokenName());
            String needed = RouteAttributes.getRouteMatch(request)
                    .map(m -> Arrays.stream(m.getAnnotationMetadata().stringValues(Secured.class))
                            .map(s -> ApiScope.valueOf(s).label()).collect(Collectors.joining(" or ")))
                    .orElse("another scope");
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(new ErrorResponse(403, "forbidden",
                    "token '" + caller.tokenName() + "' has scope " + caller.scope().label() + "; " + request.getMethodName()
                            + " " + request.getPath() + " needs a token with scope " + needed));
        }
        AuthFailure reason = request.getAttribute(ApiTokenValidator.FAILURE, AuthFailure.class)
                .orElseGet(() -> request.getHeaders().contains(HttpHeaders.AUTHORIZATION) ? AuthFailure.MALFORMED : AuthFailure.MISSING);
        failures.record(reason, request, request.getAttribute(ApiTokenValidator.FAILURE + ".token", String.class).orElse(null));
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(new ErrorResponse(401, "unauthorized", reason.message()));
    }
}
