package dev.wgcp.edge.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import dev.wgcp.http.ErrorResponse;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's API ({@code /v1/status}, {@code /v1/reconcile}) and its metrics need the agent's own
 * token: {@code Authorization: Bearer <token>}, the one line of {@code wgcp.agent.api-token-file}
 * (made with 256 random bits, mode 0600, at the agent's first start when the file does not exist).
 * Only {@code /health} is open. The token never leaves the edge: operators on the edge (and
 * Prometheus, given the file) use it; nothing else can make the agent reconcile or read its peers.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@io.micronaut.context.annotation.Context // at start: a missing setting stops the agent, and the token file exists at once
public class AgentApiToken {

    private static final Logger LOG = LoggerFactory.getLogger(AgentApiToken.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] expected;

    public AgentApiToken(@Value("${wgcp.agent.api-token-file:}") String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("wgcp.agent.api-token-file is not set (env AGENT_API_TOKEN_FILE): the agent's API and metrics"
                    + " need its token; name a file (it is made, 0600, at the first start when it does not exist)");
        }
        this.expected = ("Bearer " + load(Path.of(file.strip()))).getBytes(StandardCharsets.UTF_8);
    }

    private static String load(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[32];
                RANDOM.nextBytes(secret);
                Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, "wgca_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("the agent's API token was written to {} (readable by its owner only)", file);
            }
            String token = Files.readString(file).strip();
            if (token.length() < 16 || token.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalStateException("the agent's API token file " + file + " does not hold a token: expected one line of at"
                        + " least 16 characters without spaces; delete it to have a new one made");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the agent's API token file " + file, e);
        }
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        String path = request.getPath();
        if (path.equals("/health") || path.startsWith("/health/")) {
            return null;
        }
        String given = request.getHeaders().get("Authorization");
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
            return null;
        }
        String message = given == null
                ? "this agent's API needs its token: send Authorization: Bearer <the token in wgcp.agent.api-token-file>"
                : "the token is not this agent's: expected the one in its wgcp.agent.api-token-file";
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("WWW-Authenticate", "Bearer").body(new ErrorResponse(401, "unauthorized", message));
    }
}
