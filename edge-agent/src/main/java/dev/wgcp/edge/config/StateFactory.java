package dev.wgcp.edge.config;

import dev.wgcp.edge.domain.DesiredState;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

@Factory
public class StateFactory {

    @Singleton
    DesiredState desiredState(AgentSettings settings) {
        return new DesiredState(settings.getNetwork() == null ? "" : settings.getNetwork(), settings.getEdgeId());
    }
}
