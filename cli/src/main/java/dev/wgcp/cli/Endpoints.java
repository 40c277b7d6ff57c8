package dev.wgcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code wgcp endpoints}: where peers are seen from, who is stale, churn and DNS (endpoint-tracker's API). */
@Command(name = "endpoints", description = "Where peers are seen from: a peer's state and history, stale peers, churn, DNS records.",
        subcommands = {Endpoints.Peer.class, Endpoints.History.class, Endpoints.Stale.class, Endpoints.Churn.class, Endpoints.Dns.class})
final class Endpoints {
    @ParentCommand
    Wgcp root;
    @Option(names = "--tracker-url", defaultValue = "${env:WGCP_TRACKER_URL:-http://127.0.0.1:8084}",
            description = "endpoint-tracker's base URL (WGCP_TRACKER_URL), default ${DEFAULT-VALUE}")
    String trackerUrl;

    Api api() {
        return new Api("endpoint-tracker", "--tracker-url or WGCP_TRACKER_URL", "http://127.0.0.1:8084", trackerUrl, root.token());
    }

    @Command(name = "peer", description = "A peer's state (never, online, stale), endpoint per edge, DNS name and churn flag.")
    static final class Peer implements Callable<Integer> {
        @ParentCommand
        Endpoints e;
        @Parameters(paramLabel = "PEER_ID") String id;

        @Override
        public Integer call() {
            JsonNode peer = e.api().get("/v1/peers/" + id);
            e.root.print(peer, "peerId", "name", "state", "endpoint", "latestHandshakeAt", "latestEdgeId", "dnsName");
            if (!e.root.json && peer.path("endpoints").size() > 0) {
                e.root.out().println();
                e.root.print(peer.path("endpoints"), "edgeId", "endpoint", "latestHandshakeAt", "changedAt");
            }
            return 0;
        }
    }

    @Command(name = "history", description = "A peer's endpoint changes, newest first.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        Endpoints e;
        @Parameters(paramLabel = "PEER_ID") String id;
        @Option(names = "--limit", defaultValue = "100") int limit;

        @Override
        public Integer call() {
            e.root.print(e.api().get("/v1/peers/" + id + "/history?limit=" + limit), "observedAt", "kind", "edgeId", "oldEndpoint",
                    "newEndpoint", "revision");
            return 0;
        }
    }

    @Command(name = "stale", description = "Peers seen once, without a handshake within the online window now.")
    static final class Stale implements Callable<Integer> {
        @ParentCommand
        Endpoints e;
        @Option(names = "--network") String network;

        @Override
        public Integer call() {
            e.root.print(e.api().get("/v1/stale" + (network == null ? "" : "?network=" + network)), "peerId", "networkId", "name",
                    "latestHandshakeAt", "latestEdgeId");
            return 0;
        }
    }

    @Command(name = "churn", description = "Peers flagged for changing endpoint too often.")
    static final class Churn implements Callable<Integer> {
        @ParentCommand
        Endpoints e;
        @Option(names = "--hours", defaultValue = "24") int hours;

        @Override
        public Integer call() {
            e.root.print(e.api().get("/v1/churn?hours=" + hours), "peerId", "networkId", "edgeId", "changes", "windowSeconds", "flaggedAt",
                    "endpoints");
            return 0;
        }
    }

    @Command(name = "dns", description = "The DNS names kept current, and whether the server took the latest update.")
    static final class Dns implements Callable<Integer> {
        @ParentCommand
        Endpoints e;

        @Override
        public Integer call() {
            e.root.print(e.api().get("/v1/dns"), "name", "state", "addresses", "port", "failedAttempts", "lastError");
            return 0;
        }
    }
}
