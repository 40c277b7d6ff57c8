package dev.wgcp.edge.api;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.messaging.EventFollower;
import dev.wgcp.edge.messaging.Interfaces;
import dev.wgcp.edge.messaging.Reconciler;
import dev.wgcp.http.ErrorResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The agent's own API: status, and reconcile on demand. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AgentController {

    /** One interface of the edge. */
    @Serdeable
    public record Status(String edgeId, String interfaceName, String network, boolean caughtUp, long reconcilePasses) {
    }

    /** What a reconcile did on one interface. */
    @Serdeable
    public record Reconciled(String interfaceName, int added, int updated, int removed, int deferred) {
    }

    private final AgentSettings settings;
    private final EventFollower follower;
    private final Interfaces interfaces;

    public AgentController(AgentSettings settings, EventFollower follower, Interfaces interfaces) {
        this.settings = settings;
        this.follower = follower;
        this.interfaces = interfaces;
    }

    /** Each interface of the edge, what it serves, and whether the agent has caught up with the events. */
    @Get("/status")
    public List<Status> status() {
        return interfaces.all().stream().map(i -> new Status(settings.getEdgeId(), i.spec().name(), i.spec().network(),
                follower.isCaughtUp(), i.reconciler().passes())).toList();
    }

    @Post("/reconcile")
    public HttpResponse<?> reconcile() {
        if (!follower.isCaughtUp()) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ErrorResponse(503, "not_ready", "still rebuilding the desired state from the topics; retry in a moment"));
        }
        List<Reconciled> out = new java.util.ArrayList<>();
        for (var i : interfaces.all()) {
            Reconciler.Result r = i.reconciler().reconcile("api");
            out.add(new Reconciled(i.spec().name(), r.added(), r.updated(), r.removed(), r.deferred()));
        }
        return HttpResponse.ok(out);
    }
}
