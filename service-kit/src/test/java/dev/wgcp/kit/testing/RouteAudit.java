package dev.wgcp.kit.testing;

import dev.wgcp.kit.security.ApiAccess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Calls every route a running service serves, from its router, without a credential, and says which
 * answered anything but 401: a new endpoint nobody declared or guarded fails the service's test.
 * {@code /health} must answer 200; routes its {@link ApiAccess} lets anyone call (they check their
 * own credential) are skipped; the framework's management endpoints other than health and
 * prometheus must not be served at all.
 */
public final class RouteAudit {

    /** Management endpoints Micronaut can serve that a wgcp service keeps off. */
    private static final List<String> FRAMEWORK_ENDPOINTS = List.of("/beans", "/routes", "/threaddump", "/refresh", "/env", "/loggers",
            "/info", "/stop", "/caches", "/metrics");

    private RouteAudit() {
    }

    /** What is wrong, one line per route; empty when every route wants a credential. Also lists what was called. */
    public static Result audit(ApplicationContext context) throws IOException, InterruptedException {
        String base = context.getBean(EmbeddedServer.class).getURL().toString();
        ApiAccess access = context.getBean(ApiAccess.class);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, String> called = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        List<UriRouteInfo<?, ?>> routes = context.getBean(Router.class).uriRoutes().toList();
        for (UriRouteInfo<?, ?> route : routes) {
            HttpMethod method = route.getHttpMethod();
            String template = ApiAccess.path(route.getUriMatchTemplate().toString());
            ApiAccess.Rule rule = access.rule(method, template);
            if (rule != null && rule.anonymous()) {
                continue;
            }
            boolean health = template.equals("/health") || template.startsWith("/health/");
            Map<String, Object> values = new LinkedHashMap<>();
            // /health/{selector}: the liveness probe, open like /health; any other variable: an id nobody has
            route.getUriMatchTemplate().getVariableNames().forEach(v -> values.put(v, health ? "liveness" : UUID.randomUUID().toString()));
            String path = route.getUriMatchTemplate().expand(values);
            int status = send(http, base, method, path);
            called.put(method + " " + template, String.valueOf(status));
            int expected = health ? 200 : 401;
            if (status != expected) {
                wrong.add(method + " " + path + " answered " + status + " without a credential; expected " + expected);
            }
        }
        for (String endpoint : FRAMEWORK_ENDPOINTS) {
            int status = send(http, base, HttpMethod.GET, endpoint);
            if (status != 404 && status != 401) {
                wrong.add("GET " + endpoint + " answered " + status + ": the framework endpoint must be off");
            }
        }
        return new Result(called, wrong);
    }

    /** The routes called with their answers, and what was wrong. */
    public record Result(Map<String, String> called, List<String> wrong) {
    }

    private static int send(HttpClient http, String base, HttpMethod method, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        boolean body = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        b.method(method.name(), body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (body) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
