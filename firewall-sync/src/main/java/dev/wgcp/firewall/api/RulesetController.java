package dev.wgcp.firewall.api;

import dev.wgcp.firewall.messaging.RulesetPublisher;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;

/** Shows the ruleset each edge should have, and the one its agent last acknowledged. */
@Controller("/v1")
public class RulesetController {

    private final RulesetPublisher publisher;

    public RulesetController(RulesetPublisher publisher) {
        this.publisher = publisher;
    }

    @Get("/edges/{edgeId}/ruleset")
    @Produces(MediaType.TEXT_PLAIN)
    public HttpResponse<String> ruleset(@PathVariable String edgeId) {
        return publisher.published(edgeId)
                .map(r -> HttpResponse.ok("# revision " + r.getMetadata().getRevision() + ", sha256 " + r.getSha256() + "\n" + r.getRuleset()))
                .orElseGet(() -> HttpResponse.<String>status(HttpStatus.NOT_FOUND)
                        .body("no ruleset published for edge '" + edgeId + "'; edges are configured under wgcp.firewall.edges.<id>\n"));
    }

    /** Desired against acknowledged, for one edge. */
    @io.micronaut.serde.annotation.Serdeable
    public record EdgeStatus(String edgeId, @io.micronaut.core.annotation.Nullable Long desiredRevision,
                             @io.micronaut.core.annotation.Nullable String desiredSha256,
                             @io.micronaut.core.annotation.Nullable Long ackedRevision,
                             @io.micronaut.core.annotation.Nullable String ackedSha256,
                             @io.micronaut.core.annotation.Nullable Boolean ackedApplied,
                             @io.micronaut.core.annotation.Nullable String ackedReason,
                             @io.micronaut.core.annotation.Nullable java.time.Instant ackedAt, boolean inSync) {
    }

    /** The ruleset an edge should have and the one its agent last acknowledged (applied or refused), and whether they match. */
    @Get("/edges/{edgeId}/status")
    public EdgeStatus status(@PathVariable String edgeId) {
        var want = publisher.published(edgeId);
        var ack = publisher.acked(edgeId);
        return new EdgeStatus(edgeId, want.map(r -> r.getMetadata().getRevision()).orElse(null), want.map(r -> r.getSha256()).orElse(null),
                ack.map(a -> a.getRulesetRevision()).orElse(null), ack.map(a -> a.getSha256()).orElse(null),
                ack.map(a -> a.getApplied()).orElse(null), ack.map(a -> a.getReason()).orElse(null),
                ack.map(a -> a.getAppliedAt()).orElse(null),
                publisher.inSync(edgeId));
    }

    /** The text of the ruleset the edge's agent last acknowledged. */
    @Get("/edges/{edgeId}/ruleset/acked")
    @Produces(MediaType.TEXT_PLAIN)
    public HttpResponse<String> acked(@PathVariable String edgeId) {
        var ack = publisher.acked(edgeId);
        if (ack.isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.NOT_FOUND).body("edge '" + edgeId + "' has acknowledged no ruleset yet\n");
        }
        var a = ack.get();
        String header = "# revision " + a.getRulesetRevision() + ", sha256 " + a.getSha256() + ", " + (a.getApplied() ? "applied" : "refused")
                + " at " + a.getAppliedAt() + ": " + a.getReason().replace('\n', ' ') + "\n";
        return publisher.text(edgeId, a.getSha256()).map(t -> HttpResponse.ok(header + t))
                .orElseGet(() -> HttpResponse.ok(header + "# (its text is no longer kept here)\n"));
    }
}
