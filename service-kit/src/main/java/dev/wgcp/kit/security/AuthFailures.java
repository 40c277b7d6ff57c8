package dev.wgcp.kit.security;

import dev.wgcp.kit.domain.AuthFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused requests by reason ({@code wgcp_api_auth_failures_total{reason=...}}) and logs
 * each one with the method, path, client address and, where known, the token's name: never a secret.
 */
@Singleton
public class AuthFailures {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFailures.class);

    /** Request attributes a token validator sets for a refused token: the {@link AuthFailure}, and the token's name when known. */
    public static final String ATTRIBUTE = "wgcp.auth.failure";
    public static final String TOKEN_ATTRIBUTE = "wgcp.auth.failure.token";

    private final Map<AuthFailure, Counter> counters = new EnumMap<>(AuthFailure.class);

    public AuthFailures(MeterRegistry registry) {
        for (AuthFailure f : AuthFailure.values()) {
            counters.put(f, Counter.builder("wgcp.api.auth.failures")
                    .description("Requests refused for missing, invalid or insufficient credentials")
                    .tag("reason", f.tag())
                    .register(registry));
        }
    }

    public void record(AuthFailure failure, HttpRequest<?> request, String tokenName) {
        counters.get(failure).increment();
        LOG.warn("refused {} {} from {}: {}{}", request.getMethodName(), request.getPath(), request.getRemoteAddress(),
                failure.tag(), tokenName == null ? "" : " (token " + tokenName + ")");
    }

    public double count(AuthFailure failure) {
        return counters.get(failure).count();
    }
}
