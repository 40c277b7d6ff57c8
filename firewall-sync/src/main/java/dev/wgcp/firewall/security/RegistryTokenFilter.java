package dev.wgcp.firewall.security;

import dev.wgcp.kit.security.RegistryTokenCheck;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;

/**
 * firewall-sync's API takes the registry's API tokens ({@link RegistryTokenCheck}): any valid token
 * reads rulesets and policies, changes need an admin token. {@code /health} and {@code /prometheus}
 * are outside {@code /v1} and open.
 */
@ServerFilter("/v1/**")
@Requires(property = "wgcp.firewall.auth.enabled", notEquals = "false")
public class RegistryTokenFilter {

    private final RegistryTokenCheck check;

    public RegistryTokenFilter(@Value("${wgcp.firewall.auth.registry-url:`http://127.0.0.1:8080`}") String registryUrl,
                               @Value("${wgcp.firewall.auth.cache-for:5s}") Duration cacheFor, JsonMapper json) {
        this.check = new RegistryTokenCheck("firewall-sync", "changing firewall groups, policies or allow-lists", registryUrl, cacheFor, json);
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        return check.check(request);
    }
}
