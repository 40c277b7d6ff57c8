package dev.wgcp.tracker.domain;

import dev.wgcp.events.v1.EndpointChangeKind;
import java.util.Optional;

/**
 * Decides whether an observation is a real endpoint change, and of which kind. Pure: the caller
 * stores the new state and emits the event.
 *
 * @param next the state to store (also when nothing changed: a later observedAt)
 * @param kind present only when the endpoint really changed
 */
public record EndpointChange(EndpointState next, Optional<EndpointChangeKind> kind, String oldEndpoint) {

    /**
     * The outcome of {@code observation} given the {@code current} state of that peer on that edge:
     * empty when the observation says nothing new (no endpoint yet, or older than what is known).
     */
    public static Optional<EndpointChange> of(Optional<EndpointState> current, Observation observation) {
        if (observation.endpoint() == null) {
            return Optional.empty();
        }
        Endpoint now = Endpoint.parse(observation.endpoint());
        if (current.isEmpty()) {
            return Optional.of(new EndpointChange(state(observation, observation.observedAt()),
                    Optional.of(EndpointChangeKind.FIRST_SEEN), null));
        }
        EndpointState before = current.get();
        if (!observation.observedAt().isAfter(before.observedAt())) {
            return Optional.empty(); // a duplicate or an observation overtaken by a newer one
        }
        if (now.toString().equals(before.endpoint())) {
            return Optional.of(new EndpointChange(state(observation, before.changedAt()), Optional.empty(), before.endpoint()));
        }
        Endpoint was = Endpoint.parse(before.endpoint());
        EndpointChangeKind kind = was.host().equals(now.host()) ? EndpointChangeKind.NAT_REBIND : EndpointChangeKind.ROAMED;
        return Optional.of(new EndpointChange(state(observation, observation.observedAt()), Optional.of(kind), before.endpoint()));
    }

    private static EndpointState state(Observation o, java.time.Instant changedAt) {
        return new EndpointState(o.peerId(), o.edgeId(), o.publicKey(), Endpoint.parse(o.endpoint()).toString(),
                o.latestHandshakeAt(), o.observedAt(), changedAt);
    }
}
