package dev.wgcp.ipam.security;

import static dev.wgcp.kit.domain.ApiScope.ADMIN;
import static dev.wgcp.kit.domain.ApiScope.OPERATOR;
import static dev.wgcp.kit.domain.ApiScope.READ_ONLY;
import static dev.wgcp.kit.security.ApiAccess.Networks.FLEET;
import static dev.wgcp.kit.security.ApiAccess.Networks.IN_CODE;
import static io.micronaut.http.HttpMethod.DELETE;
import static io.micronaut.http.HttpMethod.GET;
import static io.micronaut.http.HttpMethod.PATCH;
import static io.micronaut.http.HttpMethod.POST;

import dev.wgcp.kit.security.ApiAccess;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Who may call what on ipam-service. Pools are the address plan: admins change them (as they do
 * networks at the registry). Admins, operators and read-only tokens read them; an operator limited
 * to a network sees only its pools and allocations (IN_CODE: the controller reads the pool's
 * network). Agent tokens read nothing here: edges learn their addresses from events.
 */
@Factory
public class IpamAccess {

    @Singleton
    ApiAccess access() {
        return ApiAccess.of("ipam-service")
                .allow(GET, "/v1/pools", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/pools/{name}", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/pools/{name}/reservations", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(POST, "/v1/pools", FLEET, ADMIN)
                .allow(PATCH, "/v1/pools/{name}", FLEET, ADMIN)
                .allow(DELETE, "/v1/pools/{name}", FLEET, ADMIN)
                .allow(POST, "/v1/pools/{name}/reservations", FLEET, ADMIN)
                .allow(DELETE, "/v1/pools/{name}/reservations/{id}", FLEET, ADMIN)
                .allow(GET, "/v1/allocations", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(POST, "/v1/allocations/import", FLEET, ADMIN);
    }
}
