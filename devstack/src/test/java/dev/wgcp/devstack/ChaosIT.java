package dev.wgcp.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.devstack.chaos.ChaosRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite, CI-sized: two instances of every service, two edges on wireguard-go; while peers
 * are registered, rotated and revoked, one instance of each service, an agent, a wireguard-go and
 * PostgreSQL are killed with SIGKILL once each, at random moments, and started again. Every acknowledged
 * call is accounted for at the end. Invariants only: how long anything took is the benchmark's to
 * say ({@code ./dev.sh bench chaos}, docs/reliability.md).
 */
class ChaosIT {

    @TempDir
    static Path dir;

    @Test
    void killingEachPartOnceUnderLoadLosesAndDuplicatesNothing() throws Exception {
        try (Devstack stack = Devstack.start(Devstack.Options.forTest(dir.resolve("data"), Path.of("..").toAbsolutePath().normalize())
                .withEdges(2).withReplicas(2)
                // A /16: revoked peers keep their addresses, and a /24 would run out within minutes of load
                .withTunnelCidr("10.64.0.0/16", "10.64.0.1"))) {
            // One kill of each kind: an instance of each service (its twin carries on), an agent, a wireguard-go, PostgreSQL.
            List<ChaosRun.Fault> faults = new java.util.ArrayList<>(ChaosRun.everyFault(stack));
            faults.removeIf(f -> f.kind().equals("wireguard-go") && !f.target().equals("0")
                    || f.kind().equals("process") && (f.target().endsWith("-2") || f.target().equals("edge-agent-1")));
            ChaosRun.Report report = new ChaosRun(stack, 4, Duration.ofSeconds(1), Duration.ofSeconds(90), System.nanoTime())
                    .run(faults, 1);
            String summary = String.valueOf(ChaosRun.toMap(report));
            assertTrue(report.registered() > 20, "the load ran: " + summary);
            assertEquals(0, report.lostRegistrations(), "acknowledged registrations never live: " + summary);
            assertEquals(0, report.lostRevocations(), "acknowledged revocations with the key still on an edge: " + summary);
            assertEquals(0, report.duplicateAddresses(), "two peers on one address: " + summary);
            assertEquals(0, report.duplicateKeys(), "one key on two peers: " + summary);
            assertTrue(report.faults().stream().allMatch(ChaosRun.FaultResult::converged), "every fault healed: " + summary);
        }
    }
}
