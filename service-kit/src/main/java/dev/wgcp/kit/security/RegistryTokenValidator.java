package dev.wgcp.kit.security;

import dev.wgcp.kit.domain.ApiScope;
import dev.wgcp.kit.domain.AuthFailure;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API tokens of every service but the registry: each bearer token is checked with the registry
 * ({@code GET /v1/caller}, as an OAuth resource server introspects a token) and the answer — name,
 * scope, network — kept for {@code wgcp.auth.cache-for} (5 s) under the token's SHA-256, never the
 * token. Non-blocking: the event loop never waits for the registry. A registry that does not answer
 * makes the request 503, not 401.
 */
@Singleton
@Requires(property = "wgcp.auth.registry-url")
public class RegistryTokenValidator implements TokenValidator<HttpRequest<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTokenValidator.class);
    private static final Pattern TOKEN = Pattern.compile("wgcp_[A-Za-z0-9_-]{43}");
    private static final int MAX_CACHED = 10_000;

    private record Known(Authentication authentication, long validUntilNanos) {
    }

    private final URI callerUrl;
    private final Duration cacheFor;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Known> cache = new ConcurrentHashMap<>();

    public RegistryTokenValidator(@Value("${wgcp.auth.registry-url}") String registryUrl,
                                  @Value("${wgcp.auth.cache-for:5s}") Duration cacheFor, JsonMapper json) {
        this.callerUrl = URI.create(registryUrl.replaceAll("/+$", "") + "/v1/caller");
        this.cacheFor = cacheFor;
        this.json = json;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        if (!TOKEN.matcher(token).matches()) {
            fail(request, AuthFailure.MALFORMED);
            return Publishers.empty();
        }
        String hash = sha256(token);
        Known known = cache.get(hash);
        if (known != null && known.validUntilNanos() - System.nanoTime() > 0) {
            return Publishers.just(known.authentication());
        }
        CompletableFuture<Authentication> answer = http.sendAsync(java.net.http.HttpRequest.newBuilder(callerUrl)
                        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        LOG.warn("cannot check a token with the registry at {}: {}", callerUrl, error.getClass().getSimpleName());
                        fail(request, AuthFailure.UNAVAILABLE);
                        return null;
                    }
                    return read(response, hash, request);
                });
        return Publishers.fromCompletableFuture(answer);
    }

    private Authentication read(HttpResponse<String> response, String hash, HttpRequest<?> request) {
        try {
            if (response.statusCode() == 401) {
                String message = String.valueOf(json.readValue(response.body(), Map.class).get("message"));
                // The registry's reason, as its message names it: unknown, revoked or expired.
                fail(request, Arrays.stream(AuthFailure.values()).filter(f -> f.message().equals(message)).findFirst()
                        .orElse(AuthFailure.UNKNOWN));
                return null;
            }
            if (response.statusCode() != 200) {
                LOG.warn("the registry answered {} to a token check at {}", response.statusCode(), callerUrl);
                fail(request, AuthFailure.UNAVAILABLE);
                return null;
            }
            Map<?, ?> caller = json.readValue(response.body(), Map.class);
            Object network = caller.get("network");
            Authentication authentication = Caller.authentication(String.valueOf(caller.get("name")),
                    ApiScope.parse(String.valueOf(caller.get("scope"))), network == null ? null : network.toString(),
                    String.valueOf(caller.get("via")));
            if (cache.size() >= MAX_CACHED) {
                long now = System.nanoTime();
                cache.values().removeIf(k -> k.validUntilNanos() - now <= 0);
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
            }
            cache.put(hash, new Known(authentication, System.nanoTime() + cacheFor.toNanos()));
            return authentication;
        } catch (IOException | RuntimeException e) {
            LOG.warn("the registry's answer to a token check at {} cannot be read: {}", callerUrl, e.getClass().getSimpleName());
            fail(request, AuthFailure.UNAVAILABLE);
            return null;
        }
    }

    private static void fail(HttpRequest<?> request, AuthFailure failure) {
        if (request != null) {
            request.setAttribute(AuthFailures.ATTRIBUTE, failure);
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
