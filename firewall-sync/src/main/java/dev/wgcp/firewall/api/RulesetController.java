package dev.wgcp.firewall.api;

import dev.wgcp.firewall.messaging.RulesetPublisher;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;

/** Shows the ruleset each edge should have. */
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
}
