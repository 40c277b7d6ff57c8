package dev.wgcp.devstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.infra.Netns;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.WgQuick;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firewall policies on real traffic: two clients in their own namespaces reach each other only
 * through the edge (wireguard-go and the agent's nft table in the edge's namespace), as the
 * policies say; a stream of probes crosses 100 ruleset updates without one lost to the firewall;
 * once the revocation of a client is acknowledged, none of its probes pass.
 */
class FirewallTrafficIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern PING = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    @TempDir
    static Path dir;
    private static Devstack stack;
    private static Netns second;

    @BeforeAll
    static void start() {
        stack = Devstack.start(Devstack.Options.forTest(dir.resolve("data"), Path.of("..").toAbsolutePath().normalize()));
        // A second client network: its own namespace, joined to the edge by a veth pair of its own.
        second = Netns.create("wgcp-fw-" + Netns.uniqueSuffix());
        stack.edges().get(0).namespace().link("fwe-" + stack.options().name().substring(0, Math.min(9, stack.options().name().length())),
                "198.18.0.1/24", second, "fwc0", "198.18.0.2/24");
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpResponse<String> call(String base, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + stack.adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode register(String name, String tag) throws Exception {
        HttpResponse<String> r = call(stack.registryUrl(), "POST", "/v1/networks/home/peers",
                "{\"generateKey\":true,\"name\":\"" + name + "\",\"tags\":[\"" + tag + "\"]}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void firewall(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(stack.firewallUrl(), method, "/v1/networks/home" + path, body);
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    }

    /** Waits until the edge's agent acknowledged (applied) the ruleset firewall-sync wants it to have; returns its revision. */
    private static long awaitInSync(long after) throws Exception {
        long[] revision = new long[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode status = JSON.readTree(call(stack.firewallUrl(), "GET", "/v1/edges/edge-0/status", null).body());
            revision[0] = status.path("ackedRevision").asLong();
            return status.path("inSync").asBoolean() && revision[0] > after;
        });
        return revision[0];
    }

    private static long currentRevision() throws Exception {
        return JSON.readTree(call(stack.firewallUrl(), "GET", "/v1/edges/edge-0/status", null).body()).path("desiredRevision").asLong();
    }

    /** The operator CLI with the admin token, against this stack's services. */
    private static Shell.Result cli(String... args) throws Exception {
        Path jar = stack.options().repoRoot().resolve("cli/target/cli-0.1.0-SNAPSHOT-all.jar");
        Path token = java.nio.file.Files.writeString(dir.resolve("cli.token"), stack.adminToken());
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString(), "--token-file", token.toString(), args[0]));
        cmd.addAll(List.of(args[0].equals("firewall") ? "--firewall-url" : "--tracker-url",
                args[0].equals("firewall") ? stack.firewallUrl() : stack.trackerUrl()));
        cmd.addAll(List.of(args).subList(1, args.length));
        return Shell.exec(cmd);
    }

    private static int[] ping(Netns from, String to, String... options) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n", "-q"));
        cmd.addAll(List.of(options));
        cmd.add(to);
        String out = from.tryExec(cmd.toArray(String[]::new)).output();
        Matcher m = PING.matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    @Test
    void policiesDecideWhatCrossesTheEdgeAndNoProbeIsLostWhileRulesetsChange() throws Exception {
        JsonNode admin = register("admin-laptop", "admin");
        JsonNode dev = register("dev-box", "dev");
        String adminAddress = admin.path("ipv4Address").asText();
        String devAddress = dev.path("ipv4Address").asText();
        String name = stack.options().name();
        // The second client dials the edge over its own link.
        String devConfig = dev.path("config").asText().replaceFirst("(?m)^Endpoint = .*$", "Endpoint = 198.18.0.1:"
                + stack.options().edgeEndpoint().substring(stack.options().edgeEndpoint().lastIndexOf(':') + 1));
        try (WgQuick a = WgQuick.up(stack.lanNamespace(), dir, "wga" + name, admin.path("config").asText());
             WgQuick b = WgQuick.up(second, dir, "wgb" + name, devConfig)) {
            String edge = stack.options().edgeTunnelAddress();
            await().atMost(Duration.ofSeconds(15)).until(() -> ping(stack.lanNamespace(), edge, "-c", "1", "-W", "1")[1] == 1
                    && ping(second, edge, "-c", "1", "-W", "1")[1] == 1);

            // Default deny between peers.
            assertEquals(0, ping(stack.lanNamespace(), devAddress, "-c", "3", "-i", "0.2", "-W", "1")[1], "no policy: nothing crosses");

            // The policy is made with the operator CLI.
            long before = currentRevision();
            assertEquals(0, cli("firewall", "group", "home", "admins", "--tag", "admin").exitCode());
            assertEquals(0, cli("firewall", "group", "home", "devs", "--tag", "dev").exitCode());
            Shell.Result policy = cli("firewall", "policy", "home", "admins-ping-devs", "--from", "admins", "--to-group", "devs",
                    "--protocol", "icmp");
            assertEquals(0, policy.exitCode(), policy.output());
            Shell.Result bad = cli("firewall", "policy", "home", "p", "--from", "ops", "--to-group", "devs");
            assertEquals(1, bad.exitCode());
            assertTrue(bad.output().contains("group ops, which does not exist"), bad.output());
            awaitInSync(before);
            Shell.Result shown = cli("firewall", "show", "home");
            assertTrue(shown.output().contains("admins-ping-devs") && shown.output().contains("0x00000002"), shown.output());
            Shell.Result status = cli("firewall", "status", "edge-0");
            assertTrue(status.output().lines().anyMatch(l -> l.startsWith("edge-0") && l.contains("true")), status.output());
            await().atMost(Duration.ofSeconds(10)).until(() -> ping(stack.lanNamespace(), devAddress, "-c", "1", "-W", "1")[1] == 1);
            assertEquals(0, ping(second, adminAddress, "-c", "3", "-i", "0.2", "-W", "1")[1], "devs may not start pinging admins");

            // A steady stream of probes from the admin to the dev box while 100 rulesets are applied: half of them
            // element changes (peers coming), half rule changes (a policy's ports), each acknowledged before the next.
            // The stream runs in rounds of 100 probes 10 ms apart; each round waits for its last replies before it ends, so
            // stopping the stream never counts a probe still in flight as lost.
            java.util.concurrent.atomic.AtomicBoolean updating = new java.util.concurrent.atomic.AtomicBoolean(true);
            CompletableFuture<int[]> probes = CompletableFuture.supplyAsync(() -> {
                int[] total = new int[2];
                while (updating.get()) {
                    int[] round = ping(stack.lanNamespace(), devAddress, "-i", "0.01", "-c", "100", "-W", "2");
                    total[0] += round[0];
                    total[1] += round[1];
                }
                return total;
            });
            long revision = currentRevision();
            long firstRevision = revision;
            for (int i = 0; i < 100; i++) {
                if (i % 2 == 0) {
                    register("filler-" + i, "filler");
                } else {
                    firewall("PUT", "/policies/churn", "{\"from\":\"admins\",\"toGroup\":\"devs\",\"protocol\":\"tcp\",\"ports\":[\""
                            + (1000 + i) + "\"]}");
                }
                revision = awaitInSync(revision);
            }
            assertTrue(revision - firstRevision >= 100, "100 rulesets applied: r" + firstRevision + " to r" + revision);
            updating.set(false);
            int[] sentAndReceived = probes.get();
            assertTrue(sentAndReceived[0] > 100, "probes were sent all along: " + sentAndReceived[0]);
            assertEquals(sentAndReceived[0], sentAndReceived[1], "no probe lost to the firewall while the rulesets changed");
            System.out.printf("FirewallTrafficIT: %d probes sent, %d answered, across rulesets r%d to r%d%n", sentAndReceived[0],
                    sentAndReceived[1], firstRevision, revision);

            Shell.Result seen = cli("endpoints", "peer", dev.path("id").asText());
            assertTrue(seen.output().contains("online") && seen.output().contains("198.18.0.2:"), "where the dev box is seen from: "
                    + seen.output());

            // Revocation: once the edge acknowledged the ruleset without the admin's address, nothing of it passes.
            long beforeRevocation = currentRevision();
            HttpResponse<String> revoked = call(stack.registryUrl(), "DELETE", "/v1/peers/" + admin.path("id").asText(), null);
            assertEquals(200, revoked.statusCode(), revoked.body());
            awaitInSync(beforeRevocation);
            String acked = call(stack.firewallUrl(), "GET", "/v1/edges/edge-0/ruleset/acked", null).body();
            assertFalse(Pattern.compile("[ {]" + Pattern.quote(adminAddress) + "[ ,}]").matcher(acked).find(),
                    "the acknowledged ruleset no longer lets the admin in: " + acked);
            assertEquals(0, ping(stack.lanNamespace(), devAddress, "-c", "20", "-i", "0.05", "-W", "1")[1], "no probe of a revoked peer passes");
            assertEquals(0, ping(stack.lanNamespace(), edge, "-c", "5", "-i", "0.05", "-W", "1")[1]);
        }
    }
}
