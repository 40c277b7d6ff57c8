package dev.wgcp.kit.security;

import dev.wgcp.kit.domain.ApiScope;
import io.micronaut.http.HttpMethod;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call what on one service's API ({@code /v1/**}): every route with the scopes that may call
 * it and how a token limited to one network is held to it. Each service declares exactly one, in one
 * file, and {@link AccessRule} enforces it: a route without a rule is refused, and the service does
 * not start while a route lacks a rule or a rule names no route.
 */
public final class ApiAccess {

    /** How an operator token limited to one network is held to it on a route. */
    public enum Networks {
        /** The route's path names the network ({@code {network}}, or the variable the rule gives): it must be the token's. */
        PATH,
        /** The service holds the token to its network itself: it lists only that network's items, and answers 403 for another's. */
        IN_CODE,
        /** The route spans every network (an edge's ruleset, the DNS names): a token limited to one network is refused. */
        FLEET,
        /** No network's data (who the caller is): any valid token. */
        NONE
    }

    /**
     * One route: method and path template as the controller declares it (without its query part),
     * the scopes that may call it (none: anyone, no credential), and its network rule.
     */
    public record Rule(HttpMethod method, String path, Set<ApiScope> scopes, Networks networks, String variable) {

        public boolean anonymous() {
            return scopes.isEmpty();
        }

        /** The scopes, as the API names them: "admin or operator". */
        public String scopeLabels() {
            return scopes.stream().map(ApiScope::label).collect(Collectors.joining(" or "));
        }

        String key() {
            return key(method, path);
        }

        static String key(HttpMethod method, String path) {
            return method.name() + " " + path;
        }
    }

    private final String service;
    private final Map<String, Rule> rules = new LinkedHashMap<>();

    private ApiAccess(String service) {
        this.service = service;
    }

    public static ApiAccess of(String service) {
        return new ApiAccess(service);
    }

    /** A route the given scopes may call, with its network rule ({@link Networks#PATH} reads the {@code network} variable). */
    public ApiAccess allow(HttpMethod method, String path, Networks networks, ApiScope... scopes) {
        return add(new Rule(method, path, scopes(scopes), networks, "network"));
    }

    /** Like {@link #allow} with the network in another path variable ({@code /v1/networks/{name}}). */
    public ApiAccess allowInPathNetwork(HttpMethod method, String path, String variable, ApiScope... scopes) {
        return add(new Rule(method, path, scopes(scopes), Networks.PATH, variable));
    }

    /** A route anyone may call without an API token: it checks its own credential (an enrolment or peer token). */
    public ApiAccess anyone(HttpMethod method, String path) {
        return add(new Rule(method, path, Set.of(), Networks.NONE, null));
    }

    private static Set<ApiScope> scopes(ApiScope... scopes) {
        if (scopes.length == 0) {
            throw new IllegalArgumentException("a rule names at least one scope; a route without credentials is declared with anyone()");
        }
        return java.util.Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(scopes)));
    }

    private ApiAccess add(Rule rule) {
        if (rule.networks() == Networks.PATH && !rule.path().contains("{" + rule.variable() + "}")) {
            throw new IllegalArgumentException(service + ": " + rule.key() + " holds tokens to the network in {" + rule.variable()
                    + "}, which the path does not have");
        }
        if (rules.putIfAbsent(rule.key(), rule) != null) {
            throw new IllegalArgumentException(service + ": " + rule.key() + " is declared twice");
        }
        return this;
    }

    public String service() {
        return service;
    }

    /** The rule of a route, or null. HEAD is answered by GET routes. */
    public Rule rule(HttpMethod method, String path) {
        return rules.get(Rule.key(method == HttpMethod.HEAD ? HttpMethod.GET : method, path));
    }

    public Collection<Rule> rules() {
        return List.copyOf(rules.values());
    }

    /**
     * What is wrong between the routes the service serves under {@code /v1} and the rules: routes
     * without a rule and rules for no route. Empty when they match.
     */
    public List<String> mismatches(Collection<String> routeKeys) {
        List<String> wrong = new java.util.ArrayList<>();
        for (String route : routeKeys) {
            if (!rules.containsKey(route)) {
                wrong.add(route + " has no access rule");
            }
        }
        for (String rule : rules.keySet()) {
            if (!routeKeys.contains(rule)) {
                wrong.add("the access rule " + rule + " names no route");
            }
        }
        return wrong;
    }

    /** A route template as the rules name it: without its query part ({@code /v1/peers{?state,limit}} is {@code /v1/peers}). */
    public static String path(String template) {
        return QUERY_PART.matcher(template).replaceAll("");
    }

    /** Compiled once: {@link AccessRule} strips every request's route template with it. */
    private static final java.util.regex.Pattern QUERY_PART = java.util.regex.Pattern.compile("\\{[?&][^}]*}");
}
