package dev.wgcp.edge.firewall;

import dev.wgcp.edge.domain.DesiredRuleset;
import java.time.Instant;

/** Told about every ruleset nft applied or refused. */
@FunctionalInterface
public interface RulesetListener {

    void ruleset(DesiredRuleset ruleset, boolean applied, String reason, Instant at);
}
