package dev.wgcp.kit.security;

import dev.wgcp.kit.domain.AuthFailure;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;

/**
 * Enforces the service's {@link ApiAccess} on every {@code /v1} route: the caller's scope must be
 * one the rule names, and a token limited to a network is held to it as the rule says. Anything
 * outside {@code /v1} (health, metrics) is left to the framework's rules. At start it checks that
 * every route has a rule and every rule a route, and refuses to start otherwise.
 */
@Singleton
@Requires(beans = ApiAccess.class)
public class AccessRule implements SecurityRule<HttpRequest<?>> {

    /** Request attributes: why a request with a valid credential was refused, and the message. */
    static final String REFUSED = "wgcp.auth.refused";
    static final String REFUSED_MESSAGE = "wgcp.auth.refused.message";

    /** Before the framework's rules: the declaration decides every API route. */
    public static final int ORDER = -500;

    private final ApiAccess access;
    private final Router router;

    public AccessRule(ApiAccess access, Router router) {
        this.access = access;
        this.router = router;
    }

    @EventListener
    void verify(StartupEvent event) {
        Set<String> routes = router.uriRoutes()
                // HEAD routes are the framework's twins of GET routes, and take their rule
                .map(r -> ApiAccess.Rule.key(r.getHttpMethod() == HttpMethod.HEAD ? HttpMethod.GET : r.getHttpMethod(),
                        ApiAccess.path(r.getUriMatchTemplate().toString())))
                .filter(k -> k.substring(k.indexOf(' ') + 1).startsWith("/v1"))
                .collect(Collectors.toSet());
        List<String> wrong = access.mismatches(routes);
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(access.service() + "'s API access rules do not match its routes: " + String.join("; ", wrong));
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        return Publishers.just(decide(request, authentication));
    }

    private SecurityRuleResult decide(HttpRequest<?> request, Authentication authentication) {
        if (request == null || !(RouteAttributes.getRouteMatch(request).orElse(null) instanceof UriRouteMatch<?, ?> match)) {
            return SecurityRuleResult.UNKNOWN;
        }
        String path = ApiAccess.path(match.getRouteInfo().getUriMatchTemplate().toString());
        if (!path.startsWith("/v1")) {
            return SecurityRuleResult.UNKNOWN;
        }
        ApiAccess.Rule rule = access.rule(match.getHttpMethod(), path);
        if (rule == null) {
            return SecurityRuleResult.REJECTED; // cannot happen after the start check: refused all the same
        }
        if (rule.anonymous()) {
            return SecurityRuleResult.ALLOWED;
        }
        if (authentication == null) {
            return SecurityRuleResult.REJECTED;
        }
        Caller caller = Caller.of(authentication);
        if (!rule.scopes().contains(caller.scope())) {
            return refuse(request, AuthFailure.SCOPE, caller.via() + " '" + caller.tokenName() + "' has scope " + caller.scope().label()
                    + "; " + request.getMethodName() + " " + request.getPath() + " needs a token with scope " + rule.scopeLabels());
        }
        if (caller.networkId() == null) {
            return SecurityRuleResult.ALLOWED;
        }
        return switch (rule.networks()) {
            case PATH -> {
                Object network = match.getVariableValues().get(rule.variable());
                yield caller.networkId().equals(network == null ? null : network.toString()) ? SecurityRuleResult.ALLOWED
                        : refuse(request, AuthFailure.NETWORK, caller.via() + " '" + caller.tokenName() + "' is scoped to network '"
                        + caller.networkId() + "' and cannot act on network '" + network + "'");
            }
            case FLEET -> refuse(request, AuthFailure.NETWORK, caller.via() + " '" + caller.tokenName() + "' is scoped to network '"
                    + caller.networkId() + "', and " + request.getMethodName() + " " + request.getPath()
                    + " spans every network; it needs a token that is not limited to one network");
            case IN_CODE, NONE -> SecurityRuleResult.ALLOWED;
        };
    }

    private static SecurityRuleResult refuse(HttpRequest<?> request, AuthFailure reason, String message) {
        request.setAttribute(REFUSED, reason);
        request.setAttribute(REFUSED_MESSAGE, message);
        return SecurityRuleResult.REJECTED;
    }
}
