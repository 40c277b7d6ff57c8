package dev.wgcp.kit.security;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's API takes the registry's API tokens: each bearer token is checked with the registry
 * ({@code GET /v1/caller}, token introspection) and the answer kept for a few seconds (by the
 * token's SHA-256, never the token). Reads need any valid token; changes an admin token. Each
 * service calls this from its own {@code @ServerFilter("/v1/**")}, so a service opts in (the
 * registry, which issues the tokens, checks them itself).
 */
public final class RegistryTokenCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTokenCheck.class);

    /** The request attribute that names the caller after a successful check ({@code token:<name>}): the actor of events. */
    public static final String CALLER = "wgcp.caller";

    /** Who a token belongs to, as the registry said, and until when that answer is trusted here. */
    record Known(String name, String scope, long validUntilNanos) {
    }

    private final String service;
    private final String changes;
    private final URI callerUrl;
    private final Duration cacheFor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Known> cache = new ConcurrentHashMap<>();
    private final JsonMapper json;

    /**
     * @param service  the service's name, for messages
     * @param changes  what its changes are, for the 403 message ("changing pools, reservations or allocations")
     */
    public RegistryTokenCheck(String service, String changes, String registryUrl, Duration cacheFor, JsonMapper json) {
        this.service = service;
        this.changes = changes;
        this.json = json;
        this.callerUrl = URI.create(registryUrl.replaceAll("/+$", "") + "/v1/caller");
        this.cacheFor = cacheFor;
    }

    /** Null when the request may go on; else the 401, 403 or 503 to answer. */
    public HttpResponse<?> check(HttpRequest<?> request) {
        String header = request.getHeaders().getAuthorization().orElse(null);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            return refuse(HttpStatus.UNAUTHORIZED, "unauthorized", service + " needs Authorization: Bearer <API token>, a token the"
                    + " registry issued (POST /v1/tokens on registry-service)");
        }
        String token = header.substring(7).strip();
        String hash = sha256(token);
        Known known = cache.get(hash);
        if (known == null || known.validUntilNanos() < System.nanoTime()) {
            known = null;
            cache.remove(hash);
            java.net.http.HttpResponse<String> answer;
            try {
                answer = http.send(java.net.http.HttpRequest.newBuilder(callerUrl).timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + token).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                LOG.warn("cannot check a token with the registry at {}: {}", callerUrl, e.toString());
                return refuse(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", service + " cannot check your token: registry-service at "
                        + callerUrl + " did not answer; retry when it is up");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return refuse(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "interrupted while checking the token; retry");
            }
            if (answer.statusCode() == 401) {
                return refuse(HttpStatus.UNAUTHORIZED, "unauthorized", "the registry does not accept this token (unknown, revoked or"
                        + " expired); ask an admin for one (POST /v1/tokens on registry-service)");
            }
            if (answer.statusCode() != 200) {
                LOG.warn("the registry answered {} to a token check at {}", answer.statusCode(), callerUrl);
                return refuse(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", service + " cannot check your token: registry-service"
                        + " answered " + answer.statusCode() + "; retry shortly");
            }
            try {
                Map<?, ?> caller = json.readValue(answer.body(), Map.class);
                known = new Known(String.valueOf(caller.get("name")), String.valueOf(caller.get("scope")),
                        System.nanoTime() + cacheFor.toNanos());
            } catch (IOException e) {
                return refuse(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "the registry's answer to a token check cannot be read; retry");
            }
            cache.put(hash, known);
        }
        boolean change = request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD;
        if (change && !"admin".equals(known.scope())) {
            return refuse(HttpStatus.FORBIDDEN, "forbidden", "token '" + known.name() + "' has scope " + known.scope()
                    + "; " + changes + " needs an admin token");
        }
        request.setAttribute(CALLER, "token:" + known.name());
        return null;
    }

    private static HttpResponse<?> refuse(HttpStatus status, String error, String message) {
        return HttpResponse.status(status).body(Map.of("status", status.getCode(), "error", error, "message", message));
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
