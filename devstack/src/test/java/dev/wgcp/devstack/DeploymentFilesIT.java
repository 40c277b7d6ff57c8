package dev.wgcp.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.infra.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ships in deploy/ is checked with the tools that will read it: Prometheus' promtool for the
 * alert rules (syntax, and unit tests that make each alert fire on the series it should) and for
 * the Grafana dashboard's queries; every metric they name is one docs/metrics.md documents.
 */
class DeploymentFilesIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\bwgcp_[a-z_]+\\b");

    @TempDir
    Path dir;

    @Test
    void alertRulesPassPromtoolAndTheirUnitTests() {
        Shell.Result check = Shell.exec(List.of("promtool", "check", "rules", REPO.resolve("deploy/prometheus/alerts.yml").toString()));
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS"), check.output());
        Shell.Result test = Shell.exec(List.of("promtool", "test", "rules", REPO.resolve("deploy/prometheus/alerts-test.yml").toString()));
        assertEquals(0, test.exitCode(), test.output());
    }

    @Test
    void theDashboardsQueriesAreValidPromQl() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("deploy/grafana/wgcp-fleet.json").toFile());
        assertEquals("wgcp-fleet", dashboard.path("uid").asText());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertTrue(exprs.size() >= 10, "panels with queries: " + exprs.size());
        // promtool has no query linter offline, but it parses recording rules: one rule per query, variables filled in.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$network", ".*").replace("$edge", ".*").replace("'", "''");
            rules.append("      - record: wgcp:dashboard_query_").append(i).append("\n        expr: '").append(expr).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules.toString());
        Shell.Result check = Shell.exec(List.of("promtool", "check", "rules", file.toString()));
        assertEquals(0, check.exitCode(), check.output() + "\n" + rules);
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsDocumented() throws Exception {
        String documented = Files.readString(REPO.resolve("docs/metrics.md"));
        Set<String> used = new TreeSet<>();
        for (String file : List.of("deploy/prometheus/alerts.yml", "deploy/grafana/wgcp-fleet.json")) {
            Matcher m = METRIC.matcher(Files.readString(REPO.resolve(file)));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertFalse(used.isEmpty());
        List<String> missing = used.stream().filter(name -> !documented.contains("`" + name + "`")).toList();
        assertEquals(List.of(), missing, "used in deploy/ but not in docs/metrics.md");
    }
}
