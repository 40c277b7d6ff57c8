package dev.wgcp.registry.service;

import dev.wgcp.events.v1.CredentialAction;
import dev.wgcp.events.v1.CredentialChanged;
import dev.wgcp.events.v1.CredentialKind;
import dev.wgcp.events.v1.EdgeChanged;
import dev.wgcp.events.v1.NetworkChanged;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.registry.domain.ApiToken;
import dev.wgcp.registry.domain.EnrolmentToken;
import dev.wgcp.registry.domain.Network;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Network, edge and credential changes as events on {@code wgcp.config.v1}, written into the outbox
 * inside the caller's transaction like every other change. Their revision is the change's time in
 * epoch milliseconds: it only grows for a subject, across restarts too. Never a secret.
 */
@Singleton
public class ConfigEvents {

    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();
    private final EventMetadataFactory metadata = new EventMetadataFactory("registry-service", clock);

    public ConfigEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    private long revision() {
        return clock.millis();
    }

    void network(Network n, boolean created, String actor) {
        outbox.append(Topics.CONFIG, n.name(), NetworkChanged.newBuilder()
                .setMetadata(metadata.create(actor, revision()))
                .setName(n.name())
                .setCreated(created)
                .setRoutes(n.routes())
                .setDns(n.dns())
                .setPersistentKeepaliveSeconds(n.persistentKeepalive())
                .setPools(n.pools())
                .build());
    }

    void edge(Network.Edge e, List<String> networks, String actor) {
        outbox.append(Topics.CONFIG, e.id(), EdgeChanged.newBuilder()
                .setMetadata(metadata.create(actor, revision()))
                .setEdgeId(e.id())
                .setPublicKey(e.publicKey())
                .setEndpoint(e.endpoint())
                .setNetworks(networks)
                .setSigningKey(e.signingKey())
                .build());
    }

    void apiToken(ApiToken t, CredentialAction action, String actor) {
        outbox.append(Topics.CONFIG, t.id().toString(), CredentialChanged.newBuilder()
                .setMetadata(metadata.create(actor, revision()))
                .setCredentialId(t.id().toString())
                .setKind(CredentialKind.API_TOKEN)
                .setAction(action)
                .setName(t.name())
                .setScope(t.scope().label())
                .setNetworkId(t.networkId())
                .setExpiresAt(t.expiresAt() == null ? null : t.expiresAt().truncatedTo(ChronoUnit.MILLIS))
                .build());
    }

    void enrolmentToken(EnrolmentToken t, CredentialAction action, String actor) {
        outbox.append(Topics.CONFIG, t.id().toString(), CredentialChanged.newBuilder()
                .setMetadata(metadata.create(actor, revision()))
                .setCredentialId(t.id().toString())
                .setKind(CredentialKind.ENROLMENT_TOKEN)
                .setAction(action)
                .setName(t.name())
                .setNetworkId(t.networkId())
                .setTags(t.tags())
                .setMaxUses(t.maxUses())
                .setExpiresAt(t.expiresAt().truncatedTo(ChronoUnit.MILLIS))
                .build());
    }
}
