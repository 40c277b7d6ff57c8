package dev.wgcp.registry.security;

import static dev.wgcp.kit.domain.ApiScope.ADMIN;
import static dev.wgcp.kit.domain.ApiScope.AGENT;
import static dev.wgcp.kit.domain.ApiScope.OPERATOR;
import static dev.wgcp.kit.domain.ApiScope.READ_ONLY;
import static dev.wgcp.kit.security.ApiAccess.Networks.FLEET;
import static dev.wgcp.kit.security.ApiAccess.Networks.IN_CODE;
import static dev.wgcp.kit.security.ApiAccess.Networks.NONE;
import static dev.wgcp.kit.security.ApiAccess.Networks.PATH;
import static io.micronaut.http.HttpMethod.DELETE;
import static io.micronaut.http.HttpMethod.GET;
import static io.micronaut.http.HttpMethod.PATCH;
import static io.micronaut.http.HttpMethod.POST;
import static io.micronaut.http.HttpMethod.PUT;

import dev.wgcp.kit.security.ApiAccess;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Who may call what on registry-service: the whole of it. An operator token limited to a network
 * acts on that network only: PATH checks the network in the path, IN_CODE means the controller
 * reads the item's network and answers 403 for another (or lists only its own), FLEET refuses it.
 * Health is open; {@code /prometheus} takes any valid token ({@code MetricsAccess}).
 */
@Factory
public class RegistryAccess {

    @Singleton
    ApiAccess access() {
        return ApiAccess.of("registry-service")
                .allow(GET, "/v1/caller", NONE, ADMIN, OPERATOR, READ_ONLY, AGENT)
                // tokens: admins only
                .allow(POST, "/v1/tokens", NONE, ADMIN)
                .allow(GET, "/v1/tokens", NONE, ADMIN)
                .allow(GET, "/v1/tokens/{id}", NONE, ADMIN)
                .allow(DELETE, "/v1/tokens/{id}", NONE, ADMIN)
                // networks and edges: admins change them, everyone reads (an operator its own network)
                .allow(GET, "/v1/networks", IN_CODE, ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allowInPathNetwork(GET, "/v1/networks/{name}", "name", ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allow(POST, "/v1/networks", NONE, ADMIN)
                .allow(PATCH, "/v1/networks/{name}", NONE, ADMIN)
                .allow(GET, "/v1/edges", FLEET, ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allow(PUT, "/v1/edges/{id}", NONE, ADMIN)
                // peers
                .allow(POST, "/v1/networks/{network}/peers", PATH, ADMIN, OPERATOR)
                .allow(GET, "/v1/peers", IN_CODE, ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allow(GET, "/v1/peers/{id}", IN_CODE, ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allow(GET, "/v1/peers/{id}/config", IN_CODE, ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allow(GET, "/v1/peers/{id}/config.png", IN_CODE, ADMIN, OPERATOR, READ_ONLY, AGENT)
                .allow(PATCH, "/v1/peers/{id}", IN_CODE, ADMIN, OPERATOR)
                .allow(DELETE, "/v1/peers/{id}", IN_CODE, ADMIN, OPERATOR)
                // rotation: the peer's own peer token, or an admin or operator API token (checked by the controller)
                .anyone(POST, "/v1/peers/{id}/rotate")
                // enrolment
                .allow(POST, "/v1/networks/{network}/enrolment-tokens", PATH, ADMIN, OPERATOR)
                .allow(GET, "/v1/enrolment-tokens", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/enrolment-tokens/{id}", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(DELETE, "/v1/enrolment-tokens/{id}", IN_CODE, ADMIN, OPERATOR)
                // a device redeems its enrolment token: the token is the credential
                .anyone(POST, "/v1/enrol");
    }
}
