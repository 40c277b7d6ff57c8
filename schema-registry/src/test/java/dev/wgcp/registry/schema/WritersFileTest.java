package dev.wgcp.registry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritersFileTest {

    @TempDir
    Path dir;

    @Test
    void acceptsExactlyTheWritersWithTheirPasswordsAndHoldsNoPassword() throws Exception {
        Path file = dir.resolve("writers");
        Files.writeString(file, "# schema writers\n" + WritersFile.line("registry-service", "pw-one") + "\n"
                + WritersFile.line("ipam-service", "pw:two") + "\n");
        assertFalse(Files.readString(file).contains("pw-one"), "no password in the file");
        WritersFile writers = WritersFile.read(file);
        assertEquals(Set.of("registry-service", "ipam-service"), writers.users());
        assertTrue(writers.accepts("registry-service", "pw-one"));
        assertTrue(writers.accepts("registry-service", "pw-one"), "again, from what it accepted");
        assertTrue(writers.accepts("ipam-service", "pw:two"));
        assertFalse(writers.accepts("registry-service", "pw:two"), "another writer's password");
        assertFalse(writers.accepts("edge.edge-0", "pw-one"), "not a writer");
        assertFalse(writers.accepts("registry-service", ""));
        assertTrue(WritersFile.line("a", "x").split(":")[3].length() > 0);
        assertFalse(WritersFile.line("a", "x").equals(WritersFile.line("a", "x")), "a fresh salt per line");
    }

    @Test
    void aBadFileSaysWhichLineAndWhatIsExpected() throws Exception {
        Path file = dir.resolve("writers");
        Files.writeString(file, WritersFile.line("a", "x") + "\nregistry-service:plaintext-password\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> WritersFile.read(file));
        assertTrue(bad.getMessage().contains("line 2 of") && bad.getMessage().contains("'wgcp schema-registry writers'"), bad.getMessage());
        assertFalse(bad.getMessage().contains("plaintext-password"), "never the line's text: " + bad.getMessage());
        Files.writeString(file, "# nobody\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WritersFile.read(file)).getMessage().contains("names no schema writer"));
        assertThrows(IllegalArgumentException.class, () -> WritersFile.line("a:b", "x"));
    }
}
