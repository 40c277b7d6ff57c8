package dev.wgcp.registry.api;

import dev.wgcp.kit.security.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code GET /v1/caller}: who the credential of this request is — its name, scope and network. Other
 * services (ipam-service) ask it to check a bearer token they were given, as an OAuth resource
 * server asks for token introspection, so one set of API tokens guards every wgcp API.
 */
@Controller("/v1/caller")
public class CallerController {

    /** The caller: never a secret. */
    @Serdeable
    public record CallerResponse(String name, String scope, @Nullable String network, String via) {
    }

    @Get
    public CallerResponse caller(Authentication authentication) {
        Caller c = Caller.of(authentication);
        return new CallerResponse(c.tokenName(), c.scope().label(), c.networkId(), c.via());
    }
}
