package dev.wgcp.tracker.api;

import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.service.EndpointService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where each peer is seen from. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EndpointController {

    @Serdeable
    public record EndpointView(String edgeId, String endpoint, @Nullable Instant latestHandshakeAt, Instant observedAt,
                               Instant changedAt) {
    }

    @Serdeable
    public record Problem(int status, String error, String message) {
    }

    private final EndpointService endpoints;

    public EndpointController(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @Get("/peers/{id}/endpoints")
    public HttpResponse<?> endpoints(@PathVariable String id) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return HttpResponse.status(HttpStatus.BAD_REQUEST).body(new Problem(400, "invalid_request",
                    "peer id '" + id + "' is not a UUID; expected e.g. 3f2c8a1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f"));
        }
        List<EndpointState> states = endpoints.endpoints(id);
        return HttpResponse.ok(states.stream().map(s -> new EndpointView(s.edgeId(), s.endpoint(), s.latestHandshakeAt(),
                s.observedAt(), s.changedAt())).toList());
    }
}
