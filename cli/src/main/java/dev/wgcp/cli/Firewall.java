package dev.wgcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code wgcp firewall}: a network's groups, policies and allow-lists, and the rulesets of edges (firewall-sync's API). */
@Command(name = "firewall", description = "Firewall groups, policies and allow-lists of a network; an edge's ruleset and whether it is applied.",
        subcommands = {Firewall.Show.class, Firewall.Group.class, Firewall.Policy.class, Firewall.AllowList.class, Firewall.Delete.class,
                Firewall.Ruleset.class, Firewall.Status.class})
final class Firewall {
    @ParentCommand
    Wgcp root;
    @Option(names = "--firewall-url", defaultValue = "${env:WGCP_FIREWALL_URL:-http://127.0.0.1:8085}",
            description = "firewall-sync's base URL (WGCP_FIREWALL_URL), default ${DEFAULT-VALUE}")
    String firewallUrl;

    Api api() {
        return new Api("firewall-sync", "--firewall-url or WGCP_FIREWALL_URL", "http://127.0.0.1:8085", firewallUrl, root.token());
    }

    @Command(name = "show", description = "The network's groups, policies and allow-lists.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(paramLabel = "NETWORK") String network;

        @Override
        public Integer call() {
            JsonNode all = fw.api().get("/v1/networks/" + network + "/firewall");
            if (fw.root.json) {
                fw.root.print(all);
                return 0;
            }
            fw.root.out().println("groups:");
            fw.root.print(all.path("groups"), "name", "tags", "peers", "allPeers", "conntrackMark");
            fw.root.out().println("\npolicies:");
            fw.root.print(all.path("policies"), "name", "from", "toGroup", "toCidrs", "protocol", "ports", "edges");
            fw.root.out().println("\nallow-lists:");
            fw.root.print(all.path("allowLists"), "name", "group", "protocol", "ports", "edges");
            return 0;
        }
    }

    @Command(name = "group", description = "Creates or replaces a group: peers by tag, by id, or all of the network.")
    static final class Group implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Option(names = "--tag", description = "Peers with this tag; repeatable") List<String> tags;
        @Option(names = "--peer", description = "This peer (its id); repeatable") List<String> peers;
        @Option(names = "--all", description = "Every peer of the network") boolean all;

        @Override
        public Integer call() {
            fw.root.print(fw.api().put("/v1/networks/" + network + "/groups/" + name, Wgcp.body("tags", tags, "peers", peers,
                    "allPeers", all ? Boolean.TRUE : null)), "name", "tags", "peers", "allPeers", "markBit", "conntrackMark");
            return 0;
        }
    }

    @Command(name = "policy", description = "Creates or replaces a policy: what a group may reach through the edges.")
    static final class Policy implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Option(names = "--from", required = true, description = "The group whose peers may open connections") String from;
        @ArgGroup(multiplicity = "1")
        Destination to;
        @Option(names = "--protocol", description = "tcp, udp, icmp or any (default)") String protocol;
        @Option(names = "--port", description = "A port or low-high range (tcp, udp); repeatable") List<String> ports;
        @Option(names = "--edge", description = "Only on this edge; repeatable (default: every edge)") List<String> edges;

        static final class Destination {
            @Option(names = "--to-group", description = "Another group's peers") String group;
            @Option(names = "--to-cidr", description = "A network behind the edge; repeatable") List<String> cidrs;
        }

        @Override
        public Integer call() {
            fw.root.print(fw.api().put("/v1/networks/" + network + "/policies/" + name, Wgcp.body("from", from, "toGroup", to.group,
                    "toCidrs", to.cidrs, "protocol", protocol, "ports", ports, "edges", edges)),
                    "name", "from", "toGroup", "toCidrs", "protocol", "ports", "edges");
            return 0;
        }
    }

    @Command(name = "allow-list", description = "Creates or replaces an allow-list: ports on the edges open only to a group's public endpoints.")
    static final class AllowList implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Option(names = "--group", required = true) String group;
        @Option(names = "--protocol", required = true, description = "tcp or udp") String protocol;
        @Option(names = "--port", required = true, description = "A port or low-high range; repeatable") List<String> ports;
        @Option(names = "--edge", description = "Only on this edge; repeatable (default: every edge)") List<String> edges;

        @Override
        public Integer call() {
            fw.root.print(fw.api().put("/v1/networks/" + network + "/allow-lists/" + name, Wgcp.body("group", group,
                    "protocol", protocol, "ports", ports, "edges", edges)), "name", "group", "protocol", "ports", "edges");
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a group (when no policy or allow-list uses it), a policy or an allow-list.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "KIND", description = "group, policy or allow-list") String kind;
        @Parameters(index = "2", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            String path = switch (kind) {
                case "group" -> "groups";
                case "policy" -> "policies";
                case "allow-list" -> "allow-lists";
                default -> throw new Api.ApiException(2, "KIND '" + kind + "' is not known: expected group, policy or allow-list");
            };
            fw.api().delete("/v1/networks/" + network + "/" + path + "/" + name);
            fw.root.out().println(kind + " " + name + " deleted from network " + network);
            return 0;
        }
    }

    @Command(name = "ruleset", description = "The nft ruleset the edge should have (--acked: the one its agent last acknowledged).")
    static final class Ruleset implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(paramLabel = "EDGE") String edge;
        @Option(names = "--acked") boolean acked;

        @Override
        public Integer call() {
            fw.root.out().print(fw.api().text("/v1/edges/" + edge + "/ruleset" + (acked ? "/acked" : "")));
            return 0;
        }
    }

    @Command(name = "status", description = "The ruleset the edge should have against the one its agent applied.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Firewall fw;
        @Parameters(paramLabel = "EDGE") String edge;

        @Override
        public Integer call() {
            fw.root.print(fw.api().get("/v1/edges/" + edge + "/status"), "edgeId", "desiredRevision", "ackedRevision", "ackedApplied",
                    "inSync", "ackedReason");
            return 0;
        }
    }
}
