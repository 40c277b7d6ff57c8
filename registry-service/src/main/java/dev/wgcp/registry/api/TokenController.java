package dev.wgcp.registry.api;

import dev.wgcp.kit.domain.ApiScope;
import dev.wgcp.registry.domain.ApiToken;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.security.Caller;
import dev.wgcp.registry.service.TokenService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** API tokens, for admins: create (the secret is in the answer, once), list, get, revoke. */
@Controller("/v1/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {

    /** {@code POST /v1/tokens}: name, scope (admin, operator, read-only, agent), network (operators only), expiresAt. */
    @Serdeable
    public record CreateTokenRequest(@Nullable String name, @Nullable String scope, @Nullable String network,
                                     @Nullable String expiresAt) {
    }

    /** A token as listed: never its secret. */
    @Serdeable
    public record TokenResponse(String id, String name, String scope, @Nullable String network, Instant createdAt,
                                String createdBy, @Nullable Instant expiresAt, @Nullable Instant revokedAt) {
        static TokenResponse of(ApiToken t) {
            return new TokenResponse(t.id().toString(), t.name(), t.scope().label(), t.networkId(), t.createdAt(), t.createdBy(),
                    t.expiresAt(), t.revokedAt());
        }
    }

    /** A token just created: the secret appears here and nowhere else, ever. */
    @Serdeable
    public record IssuedTokenResponse(TokenResponse token, String secret) {
    }

    private final TokenService tokens;

    public TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    @Post
    public HttpResponse<IssuedTokenResponse> create(@Body @Nullable CreateTokenRequest request, Authentication authentication) {
        if (request == null || request.name() == null || request.scope() == null) {
            throw Refusal.invalid("expected JSON {\"name\": \"ci-deploy\", \"scope\": \"operator\", \"network\": \"home\"?, "
                    + "\"expiresAt\": \"2027-01-01T00:00:00Z\"?} with name and scope (admin, operator, read-only or agent)");
        }
        Instant expiresAt = null;
        if (request.expiresAt() != null) {
            try {
                expiresAt = Instant.parse(request.expiresAt());
            } catch (DateTimeParseException e) {
                throw Refusal.invalid("expiresAt '" + request.expiresAt() + "' is not an ISO-8601 instant; expected e.g. "
                        + "2027-01-01T00:00:00Z");
            }
        }
        TokenService.Issued issued = tokens.create(request.name(), ApiScope.parse(request.scope()), request.network(), expiresAt,
                Caller.of(authentication).actor());
        return HttpResponse.created(new IssuedTokenResponse(TokenResponse.of(issued.token()), issued.secret()),
                URI.create("/v1/tokens/" + issued.token().id()));
    }

    @Get
    public List<TokenResponse> list() {
        return tokens.list().stream().map(TokenResponse::of).toList();
    }

    @Get("/{id}")
    public TokenResponse get(@PathVariable String id) {
        return TokenResponse.of(tokens.get(PeerController.parseId(id, "token")));
    }

    /** Revokes the token: the next request made with it is refused. Tokens are never deleted (audit). */
    @Delete("/{id}")
    public TokenResponse revoke(@PathVariable String id, Authentication authentication) {
        return TokenResponse.of(tokens.revoke(PeerController.parseId(id, "token"), Caller.of(authentication).actor()));
    }
}
