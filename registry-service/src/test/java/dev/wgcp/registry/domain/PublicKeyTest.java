package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PublicKeyTest {

    static final String VALID = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void acceptsBase64Of32Bytes() {
        assertEquals(VALID, PublicKey.parse(VALID).base64());
        assertEquals(VALID, PublicKey.parse("  " + VALID + "\n").base64());
    }

    @Test
    void refusesMissingKey() {
        Refusal e = assertThrows(Refusal.class, () -> PublicKey.parse(null));
        assertEquals(Refusal.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(Refusal.class, () -> PublicKey.parse(" "));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 31, 33, 64})
    void refusesWrongLength(int length) {
        String key = Base64.getEncoder().encodeToString(new byte[length]);
        Refusal e = assertThrows(Refusal.class, () -> PublicKey.parse(key));
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
    }

    @Test
    void refusesNonBase64WithWhatIsExpected() {
        Refusal e = assertThrows(Refusal.class, () -> PublicKey.parse("not a key!"));
        assertTrue(e.getMessage().contains("not valid base64"), e.getMessage());
        assertTrue(e.getMessage().contains("wg pubkey"), e.getMessage());
    }

    @Test
    void refusesNonCanonicalEncoding() {
        // Same 32 bytes, but the last character carries non-zero padding bits.
        String sloppy = VALID.substring(0, 42) + "B=";
        Refusal e = assertThrows(Refusal.class, () -> PublicKey.parse(sloppy));
        assertTrue(e.getMessage().contains("canonical"), e.getMessage());
    }
}
