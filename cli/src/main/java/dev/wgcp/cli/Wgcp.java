package dev.wgcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code wgcp}: the operator CLI. Talks to registry-service's REST API with an API token from
 * {@code --token-file}, {@code WGCP_TOKEN_FILE} or {@code WGCP_TOKEN} (never from the command line,
 * where it would end up in shell history and process listings).
 */
@Command(name = "wgcp", mixinStandardHelpOptions = true, version = "wgcp 0.1.0",
        description = "Operate a wgcp WireGuard fleet: networks, peers, tokens, enrolment, client configs, pools, firewall, endpoints.",
        subcommands = {Wgcp.Networks.class, Wgcp.Peers.class, Wgcp.Config.class, Wgcp.Tokens.class, Wgcp.Enrolment.class,
                Wgcp.Enrol.class, Wgcp.Agent.class, Wgcp.Pools.class, Firewall.class, Endpoints.class, Audit.class, Keys.class, Kafka.class,
                SchemaRegistry.class})
public final class Wgcp {

    @Option(names = "--url", defaultValue = "${env:WGCP_URL:-http://127.0.0.1:8080}",
            description = "registry-service's base URL (WGCP_URL), default ${DEFAULT-VALUE}")
    String url;

    @Option(names = "--token-file", defaultValue = "${env:WGCP_TOKEN_FILE}",
            description = "File holding the API token (WGCP_TOKEN_FILE); or set WGCP_TOKEN")
    Path tokenFile;

    @Option(names = "--json", description = "Print the registry's JSON instead of a table")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Api api() {
        return new Api(url, token());
    }

    Api anonymousApi() {
        return new Api(url, null);
    }

    String token() {
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new Api.ApiException(2, "cannot read the token file " + tokenFile + ": " + e.getMessage());
            }
        }
        String env = System.getenv("WGCP_TOKEN");
        if (env == null || env.isBlank()) {
            throw new Api.ApiException(2, "no API token: pass --token-file FILE, or set WGCP_TOKEN_FILE or WGCP_TOKEN "
                    + "(the devstack's admin token is in .devstack/admin.token)");
        }
        return env.strip();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code node} as JSON, or as a table of {@code columns} (one row per element of an array). */
    void print(JsonNode node, String... columns) {
        if (json) {
            try {
                out().println(Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        List<JsonNode> rows = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(rows::add);
        } else {
            rows.add(node);
        }
        int[] widths = new int[columns.length];
        List<String[]> cells = new ArrayList<>();
        for (JsonNode row : rows) {
            String[] c = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                JsonNode v = row.path(columns[i]);
                c[i] = v.isMissingNode() || v.isNull() ? "-" : v.isArray() ? join(v) : v.asText();
                widths[i] = Math.max(widths[i], c[i].length());
            }
            cells.add(c);
        }
        for (int i = 0; i < columns.length; i++) {
            widths[i] = Math.max(widths[i], columns[i].length());
        }
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            header.append(String.format("%-" + widths[i] + "s  ", columns[i]));
        }
        out().println(header.toString().stripTrailing());
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", c[i]));
            }
            out().println(line.toString().stripTrailing());
        }
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(e -> parts.add(e.asText()));
        return String.join(",", parts);
    }

    public static void main(String[] args) {
        // The Kafka client logs through SLF4J, which has no provider in the CLI: its logging stays out of the
        // output (audit's errors are the CLI's own), and so does SLF4J's notice that nothing is logged.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(run(args));
    }

    /** Runs the CLI; errors print one line and give exit code 1 (refused), 2 (usage, token) or 3 (unreachable). */
    static int run(String... args) {
        CommandLine cli = commandLine();
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush(); // print() does not flush, and main ends with System.exit
            cli.getErr().flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Wgcp());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("wgcp: " + e.getMessage());
            return e instanceof Api.ApiException a ? a.exitCode : 1;
        });
        return cli;
    }

    @Command(name = "networks", description = "Networks with their routes, DNS and edges; create them and set edges (admins).",
            subcommands = {Networks.Create.class, Networks.PutEdge.class})
    static final class Networks implements Callable<Integer> {
        @ParentCommand
        Wgcp root;

        @Override
        public Integer call() {
            root.print(root.api().get("/v1/networks"), "name", "routes", "dns", "persistentKeepalive", "pools");
            return 0;
        }

        @Command(name = "create", description = "Creates a network.")
        static final class Create implements Callable<Integer> {
            @ParentCommand
            Networks networks;
            @Parameters(paramLabel = "NAME") String name;
            @Option(names = "--route", required = true, description = "A CIDR clients route into the tunnel; repeat for several") List<String> routes;
            @Option(names = "--dns") List<String> dns;
            @Option(names = "--keepalive", description = "Default keepalive of new peers, seconds") Integer keepalive;
            @Option(names = "--pool", description = "Names of the network's address pools (ipam-service)") List<String> pools;

            @Override
            public Integer call() {
                Map<String, Object> body = body("name", name, "routes", routes, "dns", dns, "persistentKeepalive", keepalive, "pools", pools);
                networks.root.print(networks.root.api().post("/v1/networks", body), "name", "routes", "dns", "persistentKeepalive", "pools");
                return 0;
            }
        }

        @Command(name = "edge", description = "Creates or replaces an edge: its public key, public endpoint and networks.")
        static final class PutEdge implements Callable<Integer> {
            @ParentCommand
            Networks networks;
            @Parameters(paramLabel = "ID") String id;
            @Option(names = "--public-key", required = true) String publicKey;
            @Option(names = "--endpoint", required = true, description = "host:port clients dial; a DNS name where the server's IP is dynamic") String endpoint;
            @Option(names = "--network", required = true, description = "A network it serves; repeat for several") List<String> served;
            @Option(names = "--signing-key", description = "The public key its agent signs its reports with (wgcp keys public on the edge);"
                    + " kept when not given") String signingKey;

            @Override
            public Integer call() {
                Map<String, Object> body = body("publicKey", publicKey, "endpoint", endpoint, "networks", served, "signingKey", signingKey);
                networks.root.print(networks.root.api().put("/v1/edges/" + id, body), "id", "publicKey", "endpoint", "signingKey");
                return 0;
            }
        }
    }

    @Command(name = "peers", description = "List, show, register, update and revoke peers.",
            subcommands = {Peers.ListPeers.class, Peers.Get.class, Peers.Register.class, Peers.Update.class, Peers.Rotate.class,
                    Peers.Revoke.class, Peers.Delete.class})
    static final class Peers {
        @ParentCommand
        Wgcp root;

        static final String[] COLUMNS = {"id", "networkId", "name", "ipv4Address", "status", "tags", "publicKey"};

        @Command(name = "list", description = "Peers, filtered.")
        static final class ListPeers implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Option(names = "--network") String network;
            @Option(names = "--status", description = "ACTIVE or REVOKED") String status;
            @Option(names = "--tag") String tag;
            @Option(names = "--name") String name;
            @Option(names = "--limit", defaultValue = "100") int limit;
            @Option(names = "--offset", defaultValue = "0") long offset;

            @Override
            public Integer call() {
                StringBuilder q = new StringBuilder("/v1/peers?limit=" + limit + "&offset=" + offset);
                append(q, "network", network);
                append(q, "status", status);
                append(q, "tag", tag);
                append(q, "name", name);
                peers.root.print(peers.root.api().get(q.toString()), COLUMNS);
                return 0;
            }
        }

        @Command(name = "get", description = "One peer.")
        static final class Get implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Parameters(paramLabel = "ID") String id;

            @Override
            public Integer call() {
                peers.root.print(peers.root.api().get("/v1/peers/" + id), COLUMNS);
                return 0;
            }
        }

        @Command(name = "register", description = "Registers a peer with its public key (or --generate-key) and prints its config.")
        static final class Register implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Parameters(paramLabel = "NETWORK") String network;
            @Option(names = "--public-key", description = "The device's key (wg pubkey); preferred: the private key never leaves it") String publicKey;
            @Option(names = "--generate-key", description = "Have the registry make the key pair; the private key is shown this once") boolean generate;
            @Option(names = "--name") String name;
            @Option(names = "--tag") List<String> tags;
            @Option(names = "--keepalive", description = "Seconds; 0 turns it off") Integer keepalive;
            @Option(names = "--lifetime", description = "e.g. 30d: the key is revoked when it ends") String lifetime;
            @Option(names = "--edge", description = "The edge it uses, in a network whose pools are segmented per edge") String edge;
            @Option(names = "--endpoint", description = "host:port the edges dial: a site-to-site peer (a DNS name follows a dynamic IP)")
            String endpoint;
            @Option(names = "--out", description = "Write the config to this file (mode 0600) instead of printing it") Path out;

            @Override
            public Integer call() throws IOException {
                if (generate == (publicKey != null)) {
                    throw new Api.ApiException(2, "give either --public-key KEY or --generate-key");
                }
                Map<String, Object> body = body("publicKey", publicKey, "generateKey", generate ? true : null, "name", name,
                        "tags", tags, "persistentKeepalive", keepalive, "lifetime", lifetime, "edge", edge, "endpoint", endpoint);
                JsonNode peer = peers.root.api().post("/v1/networks/" + network + "/peers", body);
                if (peers.root.json) {
                    peers.root.print(peer);
                    return 0;
                }
                peers.root.out().println("peer " + peer.path("id").asText() + " (" + peer.path("ipv4Address").asText("no address yet") + ")");
                String config = peer.path("config").asText(null);
                if (config == null) {
                    peers.root.out().println("its address is not assigned yet: get the config with 'wgcp config " + peer.path("id").asText() + "'"
                            + (generate ? "; its private key, shown this once: " + peer.path("privateKey").asText() : ""));
                } else if (out != null) {
                    writePrivate(out, config);
                    peers.root.out().println("config written to " + out);
                } else {
                    peers.root.out().print(config);
                }
                return 0;
            }
        }

        @Command(name = "update", description = "Changes name, tags or keepalive (the key and address never change).")
        static final class Update implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Parameters(paramLabel = "ID") String id;
            @Option(names = "--name") String name;
            @Option(names = "--tag", description = "Replaces the tags; repeat for several") List<String> tags;
            @Option(names = "--keepalive") Integer keepalive;
            @Option(names = "--endpoint", description = "host:port the edges dial; \"\" removes it") String endpoint;

            @Override
            public Integer call() {
                Map<String, Object> body = body("name", name, "tags", tags, "persistentKeepalive", keepalive, "endpoint", endpoint);
                peers.root.print(peers.root.api().patch("/v1/peers/" + id, body), COLUMNS);
                return 0;
            }
        }

        @Command(name = "rotate", description = "Replaces the peer's key; it keeps its id and address. The old key is revoked after the overlap.")
        static final class Rotate implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Parameters(paramLabel = "ID") String id;
            @Option(names = "--public-key", required = true, description = "The new key (wg pubkey)") String publicKey;

            @Override
            public Integer call() {
                peers.root.print(peers.root.api().post("/v1/peers/" + id + "/rotate", Map.of("publicKey", publicKey)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "delete", description = "Revokes the peer's key (if it is not yet) and releases its addresses.")
        static final class Delete implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Parameters(paramLabel = "ID") String id;

            @Override
            public Integer call() {
                peers.root.print(peers.root.api().delete("/v1/peers/" + id + "?remove=true"), COLUMNS);
                return 0;
            }
        }

        @Command(name = "revoke", description = "Revokes the peer's key on every edge. Terminal.")
        static final class Revoke implements Callable<Integer> {
            @ParentCommand
            Peers peers;
            @Parameters(paramLabel = "ID") String id;

            @Override
            public Integer call() {
                peers.root.print(peers.root.api().delete("/v1/peers/" + id), COLUMNS);
                return 0;
            }
        }
    }

    @Command(name = "config", description = "A peer's wg-quick config: printed, to a file, or as a QR code in the terminal.")
    static final class Config implements Callable<Integer> {
        @ParentCommand
        Wgcp root;
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--out", description = "Write it to this file (mode 0600)") Path out;
        @Option(names = "--qr", description = "Draw it as a QR code for WireGuard's mobile apps") boolean qr;

        @Override
        public Integer call() throws IOException {
            String config = root.api().text("/v1/peers/" + id + "/config");
            if (out != null) {
                writePrivate(out, config);
                root.out().println("config written to " + out);
            } else if (qr) {
                root.out().print(TerminalQr.render(config));
            } else {
                root.out().print(config);
            }
            return 0;
        }
    }

    @Command(name = "tokens", description = "API tokens (admins only).",
            subcommands = {Tokens.ListTokens.class, Tokens.Create.class, Tokens.Revoke.class})
    static final class Tokens {
        @ParentCommand
        Wgcp root;

        static final String[] COLUMNS = {"id", "name", "scope", "network", "expiresAt", "revokedAt"};

        @Command(name = "list")
        static final class ListTokens implements Callable<Integer> {
            @ParentCommand
            Tokens tokens;

            @Override
            public Integer call() {
                tokens.root.print(tokens.root.api().get("/v1/tokens"), COLUMNS);
                return 0;
            }
        }

        @Command(name = "create", description = "Issues a token; its secret is printed this once.")
        static final class Create implements Callable<Integer> {
            @ParentCommand
            Tokens tokens;
            @Parameters(paramLabel = "NAME") String name;
            @Option(names = "--scope", required = true, description = "admin, operator, read-only or agent") String scope;
            @Option(names = "--network", description = "Operators only: limit the token to this network") String network;
            @Option(names = "--expires-at", description = "ISO-8601 instant, e.g. 2027-01-01T00:00:00Z") String expiresAt;

            @Override
            public Integer call() {
                Map<String, Object> body = body("name", name, "scope", scope, "network", network, "expiresAt", expiresAt);
                JsonNode issued = tokens.root.api().post("/v1/tokens", body);
                if (tokens.root.json) {
                    tokens.root.print(issued);
                } else {
                    tokens.root.print(issued.path("token"), COLUMNS);
                    tokens.root.out().println("secret (shown this once): " + issued.path("secret").asText());
                }
                return 0;
            }
        }

        @Command(name = "revoke")
        static final class Revoke implements Callable<Integer> {
            @ParentCommand
            Tokens tokens;
            @Parameters(paramLabel = "ID") String id;

            @Override
            public Integer call() {
                tokens.root.print(tokens.root.api().delete("/v1/tokens/" + id), COLUMNS);
                return 0;
            }
        }
    }

    @Command(name = "enrolment", description = "Enrolment tokens for devices.",
            subcommands = {Enrolment.ListTokens.class, Enrolment.Create.class, Enrolment.Revoke.class})
    static final class Enrolment {
        @ParentCommand
        Wgcp root;

        static final String[] COLUMNS = {"id", "name", "network", "tags", "uses", "maxUses", "expiresAt", "revokedAt"};

        @Command(name = "list")
        static final class ListTokens implements Callable<Integer> {
            @ParentCommand
            Enrolment enrolment;
            @Option(names = "--network") String network;

            @Override
            public Integer call() {
                enrolment.root.print(enrolment.root.api().get("/v1/enrolment-tokens" + (network == null ? "" : "?network=" + network)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "create", description = "Issues an enrolment token for NETWORK; its secret is printed this once.")
        static final class Create implements Callable<Integer> {
            @ParentCommand
            Enrolment enrolment;
            @Parameters(paramLabel = "NETWORK") String network;
            @Option(names = "--name") String name;
            @Option(names = "--tag") List<String> tags;
            @Option(names = "--max-uses") Integer maxUses;
            @Option(names = "--ttl", description = "How long it can be redeemed, e.g. 15m (default 1h)") String ttl;
            @Option(names = "--peer-lifetime", description = "Lifetime of the keys enrolled with it, e.g. 30d") String peerLifetime;

            @Override
            public Integer call() {
                Map<String, Object> body = body("name", name, "tags", tags, "maxUses", maxUses, "ttl", ttl, "peerLifetime", peerLifetime);
                JsonNode issued = enrolment.root.api().post("/v1/networks/" + network + "/enrolment-tokens", body);
                if (enrolment.root.json) {
                    enrolment.root.print(issued);
                } else {
                    enrolment.root.print(issued.path("token"), COLUMNS);
                    enrolment.root.out().println("secret (shown this once): " + issued.path("secret").asText());
                }
                return 0;
            }
        }

        @Command(name = "revoke")
        static final class Revoke implements Callable<Integer> {
            @ParentCommand
            Enrolment enrolment;
            @Parameters(paramLabel = "ID") String id;

            @Override
            public Integer call() {
                enrolment.root.print(enrolment.root.api().delete("/v1/enrolment-tokens/" + id), COLUMNS);
                return 0;
            }
        }
    }

    @Command(name = "enrol", description = "On a device: registers it with an enrolment token (from --enrolment-token-file) and its public key; prints its config.")
    static final class Enrol implements Callable<Integer> {
        @ParentCommand
        Wgcp root;
        @Option(names = "--enrolment-token-file", required = true, description = "File holding the enrolment token (wgce_...)") Path tokenFile;
        @Option(names = "--public-key", required = true) String publicKey;
        @Option(names = "--name") String name;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = body("token", Files.readString(tokenFile).strip(), "publicKey", publicKey, "name", name);
            JsonNode peer = root.anonymousApi().post("/v1/enrol", body);
            if (root.json) {
                root.print(peer);
            } else {
                root.out().print(peer.path("config").asText("peer " + peer.path("id").asText() + " registered; its address is not assigned yet\n"));
            }
            return 0;
        }
    }

    @Command(name = "agent", description = "An edge agent: its status, or a reconcile now (its HTTP API, with the agent's own token).",
            subcommands = {Agent.Status.class, Agent.Reconcile.class})
    static final class Agent {
        @ParentCommand
        Wgcp root;
        @Option(names = "--agent-url", defaultValue = "${env:WGCP_AGENT_URL:-http://127.0.0.1:8083}",
                description = "The agent's base URL (WGCP_AGENT_URL), default ${DEFAULT-VALUE}")
        String agentUrl;
        @Option(names = "--agent-token-file", defaultValue = "${env:WGCP_AGENT_TOKEN_FILE}", paramLabel = "FILE",
                description = "The agent's API token (its wgcp.agent.api-token-file; WGCP_AGENT_TOKEN_FILE)")
        Path agentTokenFile;

        Api api() {
            if (agentTokenFile == null) {
                throw new Api.ApiException(2, "no agent token: the agent's API needs its own token; give --agent-token-file FILE (or"
                        + " WGCP_AGENT_TOKEN_FILE), the agent's wgcp.agent.api-token-file (./dev.sh run: .devstack/edge/agent.token)");
            }
            String token;
            try {
                token = Files.readString(agentTokenFile).strip();
            } catch (IOException e) {
                throw new Api.ApiException(2, "cannot read the agent token file " + agentTokenFile + " (" + e.getClass().getSimpleName()
                        + "): expected the agent's wgcp.agent.api-token-file, readable by this user");
            }
            return new Api("the edge agent", "--agent-url or WGCP_AGENT_URL", "http://127.0.0.1:8083", agentUrl, token);
        }

        @Command(name = "status", description = "Which edge, interface and network the agent serves, whether it has caught up with the events.")
        static final class Status implements Callable<Integer> {
            @ParentCommand
            Agent agent;

            @Override
            public Integer call() {
                agent.root.print(agent.api().get("/v1/status"), "edgeId", "interfaceName", "network", "caughtUp", "reconcilePasses");
                return 0;
            }
        }

        @Command(name = "reconcile", description = "Reads the interface and the agent's nft table now, repairs what differs from the"
                + " registry, and prints what it changed.")
        static final class Reconcile implements Callable<Integer> {
            @ParentCommand
            Agent agent;

            @Override
            public Integer call() {
                agent.root.print(agent.api().post("/v1/reconcile", Map.of()), "interfaceName", "added", "updated", "removed", "deferred");
                return 0;
            }
        }
    }

    @Command(name = "pools", description = "Address pools of ipam-service: list, create, resize, reserve, delete, export, import.",
            subcommands = {Pools.ListPools.class, Pools.Create.class, Pools.Resize.class, Pools.Reserve.class, Pools.Delete.class,
                    Pools.Export.class, Pools.Import.class})
    static final class Pools {
        @ParentCommand
        Wgcp root;
        @Option(names = "--ipam-url", defaultValue = "${env:WGCP_IPAM_URL:-http://127.0.0.1:8082}",
                description = "ipam-service's base URL (WGCP_IPAM_URL), default ${DEFAULT-VALUE}")
        String ipamUrl;

        static final String[] COLUMNS = {"name", "network", "cidr", "edge", "size", "allocated", "reserved", "quarantined", "free",
            "utilisationPercent", "warning"};

        Api api() {
            return new Api("ipam-service", "--ipam-url or WGCP_IPAM_URL", "http://127.0.0.1:8082", ipamUrl, root.token());
        }

        @Command(name = "list", description = "Pools with their use.")
        static final class ListPools implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Option(names = "--network") String network;

            @Override
            public Integer call() {
                pools.root.print(pools.api().get("/v1/pools" + (network == null ? "" : "?network=" + network)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "create", description = "Creates a pool (refused when it overlaps a pool of the network).")
        static final class Create implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Parameters(paramLabel = "NAME") String name;
            @Option(names = "--network", required = true) String network;
            @Option(names = "--cidr", required = true, description = "e.g. 10.100.0.0/24 or fd00:100::/64") String cidr;
            @Option(names = "--edge", description = "Make the pool the address segment of this edge's interface") String edge;
            @Option(names = "--reserve", description = "An address or first-last range never handed out; repeatable") List<String> reserved;
            @Option(names = "--description") String description;

            @Override
            public Integer call() {
                pools.root.print(pools.api().post("/v1/pools", body("name", name, "network", network, "cidr", cidr, "edge", edge,
                        "reserved", reserved, "description", description)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "resize", description = "Grows a pool, or shrinks it when the dropped range is empty (same start, new length).")
        static final class Resize implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Parameters(paramLabel = "NAME") String name;
            @Option(names = "--cidr", required = true) String cidr;

            @Override
            public Integer call() {
                pools.root.print(pools.api().patch("/v1/pools/" + name, body("cidr", cidr)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "reserve", description = "Keeps an address or a first-last range out of allocation.")
        static final class Reserve implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Parameters(index = "0", paramLabel = "NAME") String name;
            @Parameters(index = "1", paramLabel = "ADDRESSES") String addresses;
            @Option(names = "--description") String description;

            @Override
            public Integer call() {
                pools.root.print(pools.api().post("/v1/pools/" + name + "/reservations", body("addresses", addresses,
                        "description", description)), "id", "pool", "first", "last", "size", "description");
                return 0;
            }
        }

        @Command(name = "delete", description = "Deletes a pool without allocations.")
        static final class Delete implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Parameters(paramLabel = "NAME") String name;

            @Override
            public Integer call() {
                pools.api().delete("/v1/pools/" + name);
                pools.root.out().println("pool " + name + " deleted");
                return 0;
            }
        }

        @Command(name = "export", description = "Prints allocations and reservations as CSV (NetBox's columns) or JSON.")
        static final class Export implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Option(names = "--network") String network;
            @Option(names = "--format", defaultValue = "csv", description = "csv or json, default ${DEFAULT-VALUE}") String format;

            @Override
            public Integer call() {
                pools.root.out().print(pools.api().text("/v1/allocations?format=" + format + (network == null ? "" : "&network=" + network)));
                return 0;
            }
        }

        @Command(name = "import", description = "Imports a CSV or JSON file of allocations and reservations, all or nothing.")
        static final class Import implements Callable<Integer> {
            @ParentCommand
            Pools pools;
            @Parameters(paramLabel = "FILE") Path file;

            @Override
            public Integer call() throws IOException {
                String type = file.toString().endsWith(".json") ? "application/json" : "text/csv";
                pools.root.print(pools.api().postText("/v1/allocations/import", type, Files.readString(file)),
                        "allocations", "reservations", "unchanged", "announced");
                return 0;
            }
        }
    }

    /** A JSON request body from name/value pairs, leaving out the values not given (null). */
    static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                body.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return body;
    }

    static void append(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Writes a config readable by its owner only: it may hold a private key. */
    static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
