package dev.wgcp.firewall.security;

import static dev.wgcp.kit.domain.ApiScope.ADMIN;
import static dev.wgcp.kit.domain.ApiScope.OPERATOR;
import static dev.wgcp.kit.domain.ApiScope.READ_ONLY;
import static dev.wgcp.kit.security.ApiAccess.Networks.FLEET;
import static dev.wgcp.kit.security.ApiAccess.Networks.PATH;
import static io.micronaut.http.HttpMethod.DELETE;
import static io.micronaut.http.HttpMethod.GET;
import static io.micronaut.http.HttpMethod.PUT;

import dev.wgcp.kit.security.ApiAccess;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Who may call what on firewall-sync. A network's firewall (groups, policies, allow-lists) is read
 * by admins, operators and read-only tokens and changed by admins and operators, an operator limited
 * to a network only in its own (PATH). An edge's ruleset holds the rules of every network it serves,
 * so a token limited to one network cannot read it (FLEET). Agent tokens read nothing here: edges
 * get their rulesets, signed, from Kafka.
 */
@Factory
public class FirewallAccess {

    @Singleton
    ApiAccess access() {
        return ApiAccess.of("firewall-sync")
                .allow(GET, "/v1/networks/{network}/firewall", PATH, ADMIN, OPERATOR, READ_ONLY)
                .allow(PUT, "/v1/networks/{network}/groups/{name}", PATH, ADMIN, OPERATOR)
                .allow(DELETE, "/v1/networks/{network}/groups/{name}", PATH, ADMIN, OPERATOR)
                .allow(PUT, "/v1/networks/{network}/policies/{name}", PATH, ADMIN, OPERATOR)
                .allow(DELETE, "/v1/networks/{network}/policies/{name}", PATH, ADMIN, OPERATOR)
                .allow(PUT, "/v1/networks/{network}/allow-lists/{name}", PATH, ADMIN, OPERATOR)
                .allow(DELETE, "/v1/networks/{network}/allow-lists/{name}", PATH, ADMIN, OPERATOR)
                .allow(GET, "/v1/edges/{edgeId}/ruleset", FLEET, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/edges/{edgeId}/status", FLEET, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/edges/{edgeId}/ruleset/acked", FLEET, ADMIN, OPERATOR, READ_ONLY);
    }
}
