package dev.wgcp.registry;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** registry-service: networks, peers and keys. */
@OpenAPIDefinition(
        info = @Info(title = "wgcp-registry", version = "v1",
                description = "Networks, peers, keys, enrolment and API tokens of a wgcp WireGuard fleet. Every call but "
                        + "GET /health and POST /v1/enrol needs 'Authorization: Bearer <API token>'."),
        security = @SecurityRequirement(name = "apiToken"))
@SecurityScheme(name = "apiToken", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API token issued by POST /v1/tokens (wgcp_ and 43 characters)")
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
