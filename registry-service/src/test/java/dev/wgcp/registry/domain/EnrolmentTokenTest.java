package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.domain.AuthFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnrolmentTokenTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static EnrolmentToken token(Integer maxUses, Duration ttl) {
        return EnrolmentToken.create(UUID.randomUUID(), null, "home", List.of("phone"), maxUses, ttl, NOW, "token:ops", null);
    }

    @Test
    void singleUseAndOneHourUnlessSaidOtherwise() {
        EnrolmentToken t = token(null, null);
        assertEquals(1, t.maxUses());
        assertEquals(NOW.plus(Duration.ofHours(1)), t.expiresAt());
        assertNull(t.unusable(NOW));
    }

    @Test
    void usedUpExpiredAndRevokedTokensSayWhy() {
        EnrolmentToken t = token(2, Duration.ofMinutes(10));
        EnrolmentToken used = new EnrolmentToken(t.id(), t.name(), t.networkId(), t.tags(), 2, 2, t.createdAt(), t.createdBy(), t.expiresAt(), null, null);
        assertEquals(AuthFailure.ENROLMENT_USED, used.unusable(NOW));
        assertEquals(AuthFailure.ENROLMENT_EXPIRED, t.unusable(NOW.plus(Duration.ofMinutes(10))), "expired at the instant of expiry");
        EnrolmentToken revoked = new EnrolmentToken(t.id(), t.name(), t.networkId(), t.tags(), 2, 0, t.createdAt(), t.createdBy(), t.expiresAt(), NOW, null);
        assertEquals(AuthFailure.ENROLMENT_REVOKED, revoked.unusable(NOW));
    }

    @Test
    void limitsAreChecked() {
        assertTrue(assertThrows(Refusal.class, () -> token(0, null)).getMessage().contains("maxUses must be 1 to"));
        assertTrue(assertThrows(Refusal.class, () -> token(1, Duration.ofDays(31))).getMessage().contains("at most 30 days"));
        assertTrue(assertThrows(Refusal.class, () -> token(1, Duration.ZERO)).getMessage().contains("more than 0"));
    }

    @Test
    void tagsAreValidatedSortedAndUnique() {
        assertEquals(List.of("a", "team:ops"), Peer.validTags(List.of("team:ops", "a", "a")));
        assertTrue(assertThrows(Refusal.class, () -> Peer.validTags(List.of("Bad Tag"))).getMessage().contains("expected 1 to 63"));
    }
}
