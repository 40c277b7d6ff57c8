package dev.wgcp.firewall.api;

import dev.wgcp.events.v1.FirewallPolicyKind;
import dev.wgcp.firewall.domain.AllowList;
import dev.wgcp.firewall.domain.PeerGroup;
import dev.wgcp.firewall.domain.Policy;
import dev.wgcp.firewall.domain.PolicySet;
import dev.wgcp.firewall.domain.Protocol;
import dev.wgcp.firewall.service.PolicyService;
import dev.wgcp.kit.security.Caller;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A network's firewall: groups of peers (by tag, by id, or all), policies (what a group may reach
 * through an edge: another group, or networks behind the edge) and external-IP allow-lists (ports
 * on the edge open only to a group's current public endpoints). Default deny between peers.
 */
@Controller("/v1/networks/{network}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PolicyController {

    @Serdeable
    public record GroupRequest(@Nullable List<String> tags, @Nullable List<String> peers, @Nullable Boolean allPeers) {
    }

    @Serdeable
    public record GroupView(String name, List<String> tags, List<String> peers, boolean allPeers, int markBit, String conntrackMark) {
        static GroupView of(PeerGroup g) {
            return new GroupView(g.name(), g.tags(), g.peers(), g.allPeers(), g.markBit(), g.mark());
        }
    }

    @Serdeable
    public record PolicyRequest(@Nullable String from, @Nullable String toGroup, @Nullable List<String> toCidrs,
                                @Nullable String protocol, @Nullable List<String> ports, @Nullable List<String> edges) {
    }

    @Serdeable
    public record PolicyView(String name, String from, @Nullable String toGroup, List<String> toCidrs, String protocol, List<String> ports,
                             List<String> edges) {
        static PolicyView of(Policy p) {
            return new PolicyView(p.name(), p.from(), p.toGroup(), p.toCidrs(), p.protocol().lower(), p.ports(), p.edges());
        }
    }

    @Serdeable
    public record AllowListRequest(@Nullable String group, @Nullable String protocol, @Nullable List<String> ports,
                                   @Nullable List<String> edges) {
    }

    @Serdeable
    public record AllowListView(String name, String group, String protocol, List<String> ports, List<String> edges) {
        static AllowListView of(AllowList a) {
            return new AllowListView(a.name(), a.group(), a.protocol().lower(), a.ports(), a.edges());
        }
    }

    @Serdeable
    public record FirewallView(String network, List<GroupView> groups, List<PolicyView> policies, List<AllowListView> allowLists) {
    }

    private final PolicyService policies;

    public PolicyController(PolicyService policies) {
        this.policies = policies;
    }

    @Get("/firewall")
    public FirewallView firewall(@PathVariable String network) {
        PolicySet set = policies.of(network);
        return new FirewallView(network, set.groups().stream().map(GroupView::of).toList(), set.policies().stream().map(PolicyView::of).toList(),
                set.allowLists().stream().map(AllowListView::of).toList());
    }

    @Put("/groups/{name}")
    public GroupView putGroup(HttpRequest<?> request, @PathVariable String network, @PathVariable String name, @Body GroupRequest body) {
        return GroupView.of(policies.putGroup(network, name, body.tags(), body.peers(), Boolean.TRUE.equals(body.allPeers()), actor(request)));
    }

    @Delete("/groups/{name}")
    public HttpResponse<?> deleteGroup(HttpRequest<?> request, @PathVariable String network, @PathVariable String name) {
        policies.delete(network, FirewallPolicyKind.GROUP, name, actor(request));
        return HttpResponse.noContent();
    }

    @Put("/policies/{name}")
    public PolicyView putPolicy(HttpRequest<?> request, @PathVariable String network, @PathVariable String name, @Body PolicyRequest body) {
        return PolicyView.of(policies.putPolicy(new Policy(network, name, body.from(), body.toGroup(), body.toCidrs(),
                Protocol.parse(body.protocol()), body.ports(), body.edges()), actor(request)));
    }

    @Delete("/policies/{name}")
    public HttpResponse<?> deletePolicy(HttpRequest<?> request, @PathVariable String network, @PathVariable String name) {
        policies.delete(network, FirewallPolicyKind.POLICY, name, actor(request));
        return HttpResponse.noContent();
    }

    @Put("/allow-lists/{name}")
    public AllowListView putAllowList(HttpRequest<?> request, @PathVariable String network, @PathVariable String name,
                                      @Body AllowListRequest body) {
        return AllowListView.of(policies.putAllowList(new AllowList(network, name, body.group(), body.protocol() == null ? null
                : Protocol.parse(body.protocol()), body.ports(), body.edges()), actor(request)));
    }

    @Delete("/allow-lists/{name}")
    public HttpResponse<?> deleteAllowList(HttpRequest<?> request, @PathVariable String network, @PathVariable String name) {
        policies.delete(network, FirewallPolicyKind.ALLOW_LIST, name, actor(request));
        return HttpResponse.noContent();
    }

    private static String actor(HttpRequest<?> request) {
        return request.getUserPrincipal(Authentication.class).map(a -> Caller.of(a).actor()).orElse("firewall-sync");
    }
}
