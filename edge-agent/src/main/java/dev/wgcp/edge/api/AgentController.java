package dev.wgcp.edge.api;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.messaging.EventFollower;
import dev.wgcp.edge.messaging.Reconciler;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/** The agent's own API: status, and reconcile on demand. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AgentController {

    @Serdeable
    public record Status(String edgeId, String interfaceName, String network, boolean caughtUp, long reconcilePasses) {
    }

    private final AgentSettings settings;
    private final EventFollower follower;
    private final Reconciler reconciler;

    public AgentController(AgentSettings settings, EventFollower follower, Reconciler reconciler) {
        this.settings = settings;
        this.follower = follower;
        this.reconciler = reconciler;
    }

    @Get("/status")
    public Status status() {
        return new Status(settings.getEdgeId(), settings.getInterfaceName(), settings.getNetwork(), follower.isCaughtUp(),
                reconciler.passes());
    }

    @Post("/reconcile")
    public HttpResponse<?> reconcile() {
        if (!follower.isCaughtUp()) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("message", "still rebuilding the desired state from the topics; retry in a moment"));
        }
        return HttpResponse.ok(reconciler.reconcile("api"));
    }
}
