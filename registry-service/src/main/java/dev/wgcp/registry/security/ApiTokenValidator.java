package dev.wgcp.registry.security;

import dev.wgcp.kit.security.AuthFailures;
import dev.wgcp.kit.security.Caller;
import dev.wgcp.registry.domain.ApiToken;
import dev.wgcp.registry.service.TokenService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Turns a bearer API token into an {@link Authentication}: name = the token's name, role = its
 * scope, attributes = scope and network. The look-up (a database read) runs on the blocking executor,
 * never on the event loop. A refused token leaves the reason on the request for the 401 message.
 */
@Singleton
public class ApiTokenValidator implements TokenValidator<HttpRequest<?>> {

    /** Request attribute with the {@link dev.wgcp.kit.domain.AuthFailure} of a refused token. */
    static final String FAILURE = "wgcp.auth.failure";

    private final TokenService tokens;
    private final ExecutorService blocking;

    public ApiTokenValidator(TokenService tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tokens = tokens;
        this.blocking = blocking;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        CompletableFuture<Authentication> result = CompletableFuture.supplyAsync(() -> tokens.check(token), blocking)
                .thenApply(check -> {
                    if (!check.valid()) {
                        if (request != null) {
                            request.setAttribute(AuthFailures.ATTRIBUTE, check.failure());
                            if (check.token() != null) {
                                request.setAttribute(AuthFailures.TOKEN_ATTRIBUTE, check.token().name());
                            }
                        }
                        return null;
                    }
                    return authentication(check.token());
                });
        return Publishers.fromCompletableFuture(result);
    }

    static Authentication authentication(ApiToken token) {
        return Caller.authentication(token.name(), token.scope(), token.networkId(), "token");
    }
}
