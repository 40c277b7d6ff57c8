package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

    @Test
    void peerIsDesiredOnceRegisteredAndAddressed() {
        DesiredState s = new DesiredState("home");
        assertTrue(s.registered("p1", "home", "K1", 25, 1));
        assertEquals(Map.of(), s.peers(), "no address yet");
        assertTrue(s.addressAssigned("p1", "10.0.0.2", "fd00::2", 1));
        // No keepalive from the edge's side: the client behind NAT sends it (see DesiredState.toDesired).
        assertEquals(Map.of("K1", new DesiredPeer("K1", List.of("10.0.0.2/32", "fd00::2/128"), 0)), s.peers());
    }

    @Test
    void aPeersNameFollowsItsUpdatesWhicheverIsReadFirst() {
        var meta = new dev.wgcp.schemas.EventMetadataFactory("registry-service", java.time.Clock.systemUTC());
        DesiredState s = new DesiredState("home");
        assertTrue(s.apply(dev.wgcp.events.v1.PeerUpdated.newBuilder().setMetadata(meta.create("t", 2)).setPeerId("p1")
                .setNetworkId("home").setName("renamed").setPersistentKeepaliveSeconds(10).build()));
        assertTrue(s.apply(dev.wgcp.events.v1.PeerRegistered.newBuilder().setMetadata(meta.create("t", 1)).setPeerId("p1")
                .setNetworkId("home").setPublicKey("K1").setName("first").build()), "the registration still counts");
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        assertEquals(java.util.Optional.of("renamed"), s.nameOf("K1"), "the later name wins");
        assertTrue(s.peers().containsKey("K1"));
    }

    @Test
    void aPeerInAnotherEdgesSegmentIsNotOnThisEdge() {
        DesiredState a = new DesiredState("home", "edge-a");
        a.registered("p1", "home", "K1", 25, 1);
        a.registered("p2", "home", "K2", 25, 1);
        a.registered("p3", "home", "K3", 25, 1);
        a.addressAssigned("p1", "10.0.1.2", null, "edge-a", 1);
        a.addressAssigned("p2", "10.0.2.2", null, "edge-b", 1);
        a.addressAssigned("p3", "10.0.0.2", null, null, 1);
        assertEquals(java.util.Set.of("K1", "K3"), a.peers().keySet(), "its own segment and the shared pool");
        Map<String, java.util.Optional<DesiredPeer>> changes = a.drainChanges();
        assertTrue(changes.get("K1").isPresent());
        assertFalse(changes.get("K2").isPresent(), "edge-b's peer must not be on edge-a");
    }

    @Test
    void refSaysWhichPeerHoldsAKeyAtWhichRevisions() {
        DesiredState s = new DesiredState("home");
        assertEquals(java.util.Optional.empty(), s.refOf("K1"));
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 3);
        s.revoked("p1", "home", "K1", 2);
        assertEquals(java.util.Optional.of(new dev.wgcp.schemas.projection.PeerProjection.PeerRef("p1", 2, 3)), s.refOf("K1"));
    }

    @Test
    void aRotatedPeerKeepsItsAddressUnderItsNewKeyAndTheOldKeyEndsRevoked() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        s.drainChanges();
        assertTrue(s.apply(dev.wgcp.events.v1.KeyRotated.newBuilder()
                .setMetadata(new dev.wgcp.schemas.EventMetadataFactory("registry-service", java.time.Clock.systemUTC()).create("t", 2))
                .setPeerId("p1").setNetworkId("home").setOldPublicKey("K1").setNewPublicKey("K2")
                .setOldKeyRevokedAt(java.time.Instant.now()).build()));
        assertEquals(Map.of("K2", new DesiredPeer("K2", List.of("10.0.0.2/32"), 0)), s.peers());
        var changes = s.drainChanges();
        assertEquals(java.util.Optional.empty(), changes.get("K1"), "the old key leaves the interface");
        assertEquals(List.of("10.0.0.2/32"), changes.get("K2").orElseThrow().allowedIps(), "the new key takes the address");
        assertTrue(s.apply(revocation("K1", dev.wgcp.events.v1.RevocationReason.ROTATED, 3)), "the old key's revocation after the overlap");
        assertEquals(Map.of("K2", new DesiredPeer("K2", List.of("10.0.0.2/32"), 0)), s.peers(), "the peer lives on");
        assertTrue(s.revokedKeys().contains("K1"));
        assertEquals(java.util.Optional.of("p1"), s.peerIdOf("K2"));
    }

    private static final dev.wgcp.schemas.EventMetadataFactory META =
            new dev.wgcp.schemas.EventMetadataFactory("registry-service", java.time.Clock.systemUTC());

    private static dev.wgcp.events.v1.KeyRotated rotation(String oldKey, String newKey, long revision) {
        return dev.wgcp.events.v1.KeyRotated.newBuilder().setMetadata(META.create("t", revision)).setPeerId("p1").setNetworkId("home")
                .setOldPublicKey(oldKey).setNewPublicKey(newKey).setOldKeyRevokedAt(java.time.Instant.now()).build();
    }

    private static dev.wgcp.events.v1.KeyRevoked revocation(String key, dev.wgcp.events.v1.RevocationReason reason, long revision) {
        return dev.wgcp.events.v1.KeyRevoked.newBuilder().setMetadata(META.create("t", revision)).setPeerId("p1").setNetworkId("home")
                .setPublicKey(key).setReason(reason).build();
    }

    @Test
    void aPeerRevokedUnderAKeyItsRotationToHasNotBeenReadYetEndsUnderEveryKey() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        s.drainChanges();
        // The operator rotated K1 to K2, then deleted the peer; the revocation is read before the rotation.
        assertTrue(s.apply(revocation("K2", dev.wgcp.events.v1.RevocationReason.PEER_DELETED, 3)));
        assertEquals(Map.of(), s.peers(), "the peer ended: K1 must not stay on the edges");
        assertEquals(java.util.Optional.empty(), s.drainChanges().get("K1"), "K1 leaves the interface");
        s.apply(rotation("K1", "K2", 2));
        assertEquals(Map.of(), s.peers(), "the late rotation brings neither key back");
        assertEquals(java.util.Set.of("K1", "K2"), s.revokedKeys(), "every key the peer held is terminal");
    }

    @Test
    void aRemovedPeerEndsWhicheverKeyItsRemovalNames() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        assertTrue(s.apply(dev.wgcp.events.v1.PeerRemoved.newBuilder().setMetadata(META.create("t", 4)).setPeerId("p1")
                .setNetworkId("home").setPublicKey("K3").build()));
        assertEquals(Map.of(), s.peers());
        assertTrue(s.revokedKeys().contains("K1"));
    }

    @Test
    void anOldKeysRevocationReadBeforeItsRotationLeavesThePeerUnderItsNewKey() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        assertTrue(s.apply(revocation("K1", dev.wgcp.events.v1.RevocationReason.ROTATED, 3)));
        assertEquals(Map.of(), s.peers(), "K1 is terminal at once");
        assertTrue(s.apply(rotation("K1", "K2", 2)), "the rotation still counts: only a key ended, not the peer");
        assertEquals(Map.of("K2", new DesiredPeer("K2", List.of("10.0.0.2/32"), 0)), s.peers());
        assertTrue(s.apply(revocation("K2", dev.wgcp.events.v1.RevocationReason.OPERATOR, 4)));
        assertEquals(Map.of(), s.peers());
    }

    @Test
    void addressBeforeRegistrationIsKept() {
        DesiredState s = new DesiredState("home");
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        s.registered("p1", "home", "K1", 0, 1);
        assertEquals(List.of("10.0.0.2/32"), s.peers().get("K1").allowedIps());
    }

    @Test
    void redeliveredAndOlderEventsChangeNothing() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        assertFalse(s.registered("p1", "home", "K1", 25, 1));
        assertFalse(s.addressAssigned("p1", "10.0.0.9", null, 1));
        assertEquals(List.of("10.0.0.2/32"), s.peers().get("K1").allowedIps());
    }

    @Test
    void revocationIsTerminalWhateverArrivesLater() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        assertTrue(s.revoked("p1", "home", "K1", 2));
        assertEquals(Map.of(), s.peers());
        // A replayed registration, even one claiming a newer revision, does not bring the key back.
        s.registered("p1", "home", "K1", 25, 3);
        s.registered("p2", "home", "K1", 25, 1);
        s.addressAssigned("p2", "10.0.0.3", null, 1);
        assertEquals(Map.of(), s.peers());
        assertEquals(java.util.Set.of("K1"), s.revokedKeys());
    }

    @Test
    void revocationBeforeRegistrationStillWins() {
        DesiredState s = new DesiredState("home");
        s.revoked("p1", "home", "K1", 2);
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        assertEquals(Map.of(), s.peers());
    }

    @Test
    void otherNetworksArePassedOver() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "lab", "K1", 25, 1);
        s.addressAssigned("p1", "10.9.0.2", null, 1);
        assertEquals(Map.of(), s.peers());
    }

    @Test
    void drainChangesNamesJustTheTouchedKeysWithWhatTheyMustBe() {
        DesiredState s = new DesiredState("home");
        s.registered("p1", "home", "K1", 25, 1);
        s.addressAssigned("p1", "10.0.0.2", null, 1);
        s.registered("p2", "home", "K2", 25, 1);
        s.addressAssigned("p2", "10.0.0.3", null, 1);
        assertEquals(java.util.Set.of("K1", "K2"), s.drainChanges().keySet());
        assertEquals(Map.of(), s.drainChanges(), "drained");
        s.revoked("p1", "home", "K1", 2);
        assertEquals(Map.of("K1", java.util.Optional.empty()), s.drainChanges());
        s.registered("p1", "home", "K1", 25, 1); // redelivery: no change, nothing touched
        assertEquals(Map.of(), s.drainChanges());
    }
}
