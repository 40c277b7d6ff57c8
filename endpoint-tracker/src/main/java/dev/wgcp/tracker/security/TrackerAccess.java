package dev.wgcp.tracker.security;

import static dev.wgcp.kit.domain.ApiScope.ADMIN;
import static dev.wgcp.kit.domain.ApiScope.OPERATOR;
import static dev.wgcp.kit.domain.ApiScope.READ_ONLY;
import static dev.wgcp.kit.security.ApiAccess.Networks.FLEET;
import static dev.wgcp.kit.security.ApiAccess.Networks.IN_CODE;
import static io.micronaut.http.HttpMethod.GET;

import dev.wgcp.kit.security.ApiAccess;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Who may call what on endpoint-tracker. Everything here says where peers are seen from (their
 * public addresses: personal data), so agent tokens read none of it, and an operator limited to a
 * network reads only its peers (IN_CODE: the controller lists only that network, and answers 403
 * for another network's peer). The DNS names span every network (FLEET). The API only reads.
 */
@Factory
public class TrackerAccess {

    @Singleton
    ApiAccess access() {
        return ApiAccess.of("endpoint-tracker")
                .allow(GET, "/v1/peers", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/peers/{id}", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/peers/{id}/endpoints", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/peers/{id}/history", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/stale", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/churn", IN_CODE, ADMIN, OPERATOR, READ_ONLY)
                .allow(GET, "/v1/dns", FLEET, ADMIN, OPERATOR, READ_ONLY);
    }
}
