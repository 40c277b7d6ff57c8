package dev.wgcp.devstack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.devstack.Devstack;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.infra.WgUapi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults injected under load, every acknowledged call accounted for (how Jepsen and Kafka's own
 * system tests check a system): while peers are registered, rotated and revoked at a steady rate
 * through the registry instances, each fault kills one part with SIGKILL at a random moment, starts
 * it again, and measures how long until everything acknowledged before the restart is true on every
 * edge. At the end: acknowledged registrations never live (lost), peers whose revocation was
 * acknowledged with any of their keys still on an edge (lost), two peers on one address or one key on two peers (duplicated), and the
 * share of API calls answered 2xx.
 */
public final class ChaosRun {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to kill: a service or agent process by name, an edge's wireguard-go, or PostgreSQL. */
    public record Fault(String kind, String target) {
        public static Fault process(String name) {
            return new Fault("process", name);
        }

        public static Fault wireGuard(int edge) {
            return new Fault("wireguard-go", String.valueOf(edge));
        }

        public static Fault database() {
            return new Fault("postgres", "postgres");
        }

        public String label() {
            return kind.equals("process") ? target : kind.equals("wireguard-go") ? "wireguard-go of edge-" + target : "postgres";
        }
    }

    /** How one fault went: how long the part was away, and how long after its restart until every acknowledged call held. */
    public record FaultResult(String fault, long downMs, long convergeMs, boolean converged) {
    }

    /** The run's accounting. */
    public record Report(int registered, int rotated, int revoked, int lostRegistrations, int lostRevocations,
                         int duplicateAddresses, int duplicateKeys, long calls, long answered2xx, long answered5xx, long failedToConnect,
                         List<FaultResult> faults, List<String> problems) {

        public double availability() {
            return calls == 0 ? 1 : (double) answered2xx / calls;
        }
    }

    private final Devstack stack;
    private final double ratePerSecond;
    private final Duration downFor;
    private final Duration convergeWithin;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String token;

    /** Peers this run registered and the registry acknowledged (201 or 202): id → its current key. */
    private final Map<String, String> active = new ConcurrentHashMap<>();
    /**
     * Every key each peer was registered or rotated with, or that a rotation of it was sent with (its
     * answer may have been lost while the registry committed it): once the peer's revocation is
     * acknowledged, none of them may be on an edge.
     */
    private final Map<String, Set<String>> keysOf = new ConcurrentHashMap<>();
    /** Keys of peers whose revocation the registry acknowledged (200), with their peers. */
    private final Map<String, String> revokedKeys = new ConcurrentHashMap<>();
    private final AtomicInteger revoked = new AtomicInteger();
    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger rotated = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile boolean loading;
    /**
     * Whether an attempt of the last call got no answer (refused, reset, timed out): a timed-out one may
     * have committed all the same, so the registry is asked what became of it (load thread only).
     */
    private boolean lastCallUnanswered;

    public ChaosRun(Devstack stack, double ratePerSecond, Duration downFor, Duration convergeWithin, long seed) {
        this.stack = stack;
        this.ratePerSecond = ratePerSecond;
        this.downFor = downFor;
        this.convergeWithin = convergeWithin;
        this.random = new Random(seed);
        this.token = stack.adminToken();
    }

    /** Every kind of fault the stack has: each service instance and agent, each edge's wireguard-go, PostgreSQL. */
    public static List<Fault> everyFault(Devstack stack) {
        List<Fault> out = new ArrayList<>();
        stack.processNames().forEach(n -> out.add(Fault.process(n)));
        for (int i = 0; i < stack.edges().size(); i++) {
            out.add(Fault.wireGuard(i));
        }
        out.add(Fault.database());
        return out;
    }

    /** Runs the load, injects {@code faults} one at a time (in a random order), and accounts for everything at the end. */
    public Report run(List<Fault> faults, int rounds) throws Exception {
        loading = true;
        Thread load = new Thread(this::load, "chaos-load");
        load.setDaemon(true);
        load.start();
        List<FaultResult> results = new ArrayList<>();
        try {
            sleep(3000); // load before the first fault
            for (int round = 0; round < rounds; round++) {
                List<Fault> order = new ArrayList<>(faults);
                java.util.Collections.shuffle(order, random);
                for (Fault f : order) {
                    sleep(1000 + random.nextInt(3000)); // a random moment
                    results.add(inject(f));
                }
            }
        } finally {
            loading = false;
            load.join(30_000);
        }
        // Everything acknowledged must hold once the stack is whole again.
        long deadline = System.nanoTime() + convergeWithin.toNanos();
        Account account;
        do {
            account = account(Map.copyOf(active), Map.copyOf(revokedKeys));
            if (account.converged()) {
                break;
            }
            sleep(500);
        } while (System.nanoTime() < deadline);
        int[] duplicates = duplicates();
        return new Report(registered.get(), rotated.get(), revoked.get(), account.missing().size(), account.lingering().size(),
                duplicates[0], duplicates[1], calls.get(), ok.get(), serverErrors.get(), unreachable.get(), results,
                List.copyOf(problems));
    }

    private FaultResult inject(Fault f) throws Exception {
        LOG.info("chaos: killing {}", f.label());
        long killed = System.nanoTime();
        switch (f.kind()) {
            case "process" -> stack.kill(f.target());
            case "wireguard-go" -> stack.killWireGuard(Integer.parseInt(f.target()));
            default -> stack.killDatabase();
        }
        sleep(downFor.toMillis());
        switch (f.kind()) {
            case "process" -> stack.restart(f.target());
            case "wireguard-go" -> stack.restartWireGuard(Integer.parseInt(f.target()));
            default -> stack.restartDatabase();
        }
        long restarted = System.nanoTime();
        // What was acknowledged before the restart, as it stands now: the load goes on, and may revoke or rotate those peers meanwhile.
        Set<String> activeThen = Set.copyOf(active.keySet());
        Map<String, String> revokedThen = Map.copyOf(revokedKeys);
        long deadline = restarted + convergeWithin.toNanos();
        boolean converged = false;
        while (System.nanoTime() < deadline) {
            if (account(stillActive(activeThen), revokedThen).converged()) {
                converged = true;
                break;
            }
            sleep(100);
        }
        long convergeMs = (System.nanoTime() - restarted) / 1_000_000;
        LOG.info("chaos: {} restarted; {} in {} ms", f.label(), converged ? "converged" : "NOT converged", convergeMs);
        if (!converged) {
            Account a = account(stillActive(activeThen), revokedThen);
            problems.add(f.label() + ": not converged within " + convergeWithin + ": " + a.missing().size() + " registrations not live "
                    + a.missing().stream().limit(3).toList() + ", " + a.lingering().size() + " revoked keys still on an edge "
                    + a.lingering().stream().limit(3).toList());
        }
        return new FaultResult(f.label(), (restarted - killed) / 1_000_000, convergeMs, converged);
    }

    /** The peers of {@code ids} still active now, with their current keys. */
    private Map<String, String> stillActive(Set<String> ids) {
        Map<String, String> out = new HashMap<>();
        for (String id : ids) {
            String key = active.get(id);
            if (key != null) {
                out.put(id, key);
            }
        }
        return out;
    }

    /** What the edges show against what was acknowledged: keys that should be live and are not everywhere, revoked keys still somewhere. */
    private record Account(Set<String> missing, Set<String> lingering) {
        boolean converged() {
            return missing.isEmpty() && lingering.isEmpty();
        }
    }

    private Account account(Map<String, String> activeKeys, Map<String, String> revoked) {
        Set<String> missing = new HashSet<>(activeKeys.values());
        Set<String> lingering = new HashSet<>();
        List<Map<String, List<String>>> edges = new ArrayList<>();
        for (Devstack.Edge e : stack.edges()) {
            try {
                edges.add(WgUapi.peers(e.interfaceName()));
            } catch (IOException | RuntimeException down) {
                return new Account(Set.of("(edge " + e.id() + " unreadable)"), Set.of());
            }
        }
        Set<String> everywhere = null;
        for (Map<String, List<String>> live : edges) {
            if (everywhere == null) {
                everywhere = new HashSet<>(live.keySet());
            } else {
                everywhere.retainAll(live.keySet());
            }
            for (String key : revoked.keySet()) {
                if (live.containsKey(key)) {
                    lingering.add(key);
                }
            }
        }
        if (everywhere != null) {
            missing.removeAll(everywhere);
        }
        return new Account(missing, lingering);
    }

    /** Two peers on one address (on any edge, or in the registry), one key on two peers (in the registry). */
    private int[] duplicates() {
        int addresses = 0;
        for (Devstack.Edge e : stack.edges()) {
            try {
                Map<String, String> owner = new HashMap<>();
                for (Map.Entry<String, List<String>> p : WgUapi.peers(e.interfaceName()).entrySet()) {
                    for (String ip : p.getValue()) {
                        if (owner.put(ip, p.getKey()) != null) {
                            addresses++;
                        }
                    }
                }
            } catch (IOException | RuntimeException down) {
                problems.add("edge " + e.id() + " unreadable at the end: " + down.getMessage());
            }
        }
        int keys = 0;
        Map<String, String> byAddress = new HashMap<>();
        Map<String, String> byKey = new HashMap<>();
        for (int offset = 0; ; offset += 1000) {
            JsonNode page = get("/v1/peers?network=" + stack.options().network() + "&limit=1000&offset=" + offset);
            if (page == null || !page.isArray()) {
                problems.add("cannot list the registry's peers at the end");
                break;
            }
            for (JsonNode p : page) {
                String self = p.path("id").asText() + " (" + p.path("status").asText() + ")";
                String other;
                if (p.hasNonNull("ipv4Address") && !"DELETED".equals(p.path("status").asText())
                        && (other = byAddress.put(p.path("ipv4Address").asText(), self)) != null) {
                    addresses++;
                    problems.add("address " + p.path("ipv4Address").asText() + " held by peers " + other + " and " + self);
                }
                if ((other = byKey.put(p.path("publicKey").asText(), self)) != null) {
                    keys++;
                    problems.add("key " + p.path("publicKey").asText() + " held by peers " + other + " and " + self);
                }
            }
            if (page.size() < 1000) {
                break;
            }
        }
        return new int[] {addresses, keys};
    }

    /** Registrations, rotations and revocations at the configured rate, through the registry instances in turn. */
    private void load() {
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long next = System.nanoTime();
        int i = 0;
        while (loading) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1_000_000);
            }
            next += intervalNanos;
            try {
                int dice = random.nextInt(100);
                List<String> ids = new ArrayList<>(active.keySet());
                if (dice < 20 && ids.size() > 5) {
                    revoke(ids.get(random.nextInt(ids.size())), i++);
                } else if (dice < 30 && ids.size() > 5) {
                    rotate(ids.get(random.nextInt(ids.size())), i++);
                } else {
                    register(i++);
                }
            } catch (RuntimeException e) {
                problems.add("load: " + e.getMessage());
            }
        }
    }

    private void register(int n) {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> r = call(n, "POST", "/v1/networks/" + stack.options().network() + "/peers",
                "{\"publicKey\":\"" + key + "\",\"name\":\"chaos-" + n + "\"}");
        if (r != null && (r.statusCode() == 201 || r.statusCode() == 202)) {
            String id = json(r).path("id").asText();
            keysOf.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(key);
            active.put(id, key);
            registered.incrementAndGet();
        } else if (lastCallUnanswered) {
            // An attempt went unanswered and may have committed (the retry then found the key taken): ask.
            JsonNode found = get("/v1/peers?network=" + stack.options().network() + "&name=chaos-" + n);
            if (found != null && found.size() == 1 && key.equals(found.get(0).path("publicKey").asText())
                    && !"REVOKED".equals(found.get(0).path("status").asText())) {
                String id = found.get(0).path("id").asText();
                keysOf.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(key);
                active.put(id, key);
                registered.incrementAndGet();
            }
        } else if (r != null && problems.size() < 20) {
            problems.add("a registration was answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    private void revoke(String id, int n) {
        String key = active.get(id);
        HttpResponse<String> r = call(n, "DELETE", "/v1/peers/" + id, null);
        if (r == null && lastCallUnanswered && key != null) {
            JsonNode peer = get("/v1/peers/" + id);
            if (peer != null && ("REVOKED".equals(peer.path("status").asText()) || "DELETED".equals(peer.path("status").asText()))) {
                active.remove(id);
                keysOf.getOrDefault(id, Set.of(key)).forEach(k -> revokedKeys.put(k, id));
                revoked.incrementAndGet();
            }
            return;
        }
        if (r != null && r.statusCode() == 200 && key != null) {
            active.remove(id);
            keysOf.getOrDefault(id, Set.of(key)).forEach(k -> revokedKeys.put(k, id));
            revoked.incrementAndGet();
        }
    }

    private void rotate(String id, int n) {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        keysOf.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(key);
        HttpResponse<String> r = call(n, "POST", "/v1/peers/" + id + "/rotate", "{\"publicKey\":\"" + key + "\"}");
        if (r != null && r.statusCode() == 200) {
            active.put(id, key); // the new key must be live; the old one leaves the edges at once
            rotated.incrementAndGet();
        } else if (lastCallUnanswered) {
            // An attempt went unanswered and may have committed: the peer's key is what the registry says.
            JsonNode peer = get("/v1/peers/" + id);
            if (peer != null && key.equals(peer.path("publicKey").asText()) && active.containsKey(id)) {
                active.put(id, key);
                rotated.incrementAndGet();
            }
        }
    }

    /** One API call at registry instance n mod count; on no answer or a 5xx, the same call at the next (what a load balancer does). */
    private HttpResponse<String> call(int n, String method, String path, String body) {
        lastCallUnanswered = false;
        List<String> urls = stack.registryUrls();
        for (int attempt = 0; attempt < urls.size(); attempt++) {
            String url = urls.get((n + attempt) % urls.size());
            calls.incrementAndGet();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500) {
                    serverErrors.incrementAndGet();
                    continue;
                }
                if (r.statusCode() < 300) {
                    ok.incrementAndGet();
                }
                return r;
            } catch (IOException e) {
                unreachable.incrementAndGet();
                lastCallUnanswered = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private JsonNode get(String path) {
        for (String url : stack.registryUrls()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(15))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
            } catch (IOException e) {
                // the next instance
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("the registry answered " + r.statusCode() + " with a body that is not JSON");
        }
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The report as a map (JSON, Markdown). */
    public static Map<String, Object> toMap(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("registered", r.registered());
        m.put("rotated", r.rotated());
        m.put("revoked", r.revoked());
        m.put("lost_registrations", r.lostRegistrations());
        m.put("lost_revocations", r.lostRevocations());
        m.put("duplicate_addresses", r.duplicateAddresses());
        m.put("duplicate_keys", r.duplicateKeys());
        m.put("api_calls", r.calls());
        m.put("api_2xx_share", Math.round(r.availability() * 10000) / 10000.0);
        m.put("api_5xx", r.answered5xx());
        m.put("api_unreachable", r.failedToConnect());
        List<Map<String, Object>> faults = new ArrayList<>();
        for (FaultResult f : r.faults()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("fault", f.fault());
            fm.put("down_ms", f.downMs());
            fm.put("converge_ms", f.convergeMs());
            fm.put("converged", f.converged());
            faults.add(fm);
        }
        m.put("faults", faults);
        m.put("problems", r.problems());
        return m;
    }
}
