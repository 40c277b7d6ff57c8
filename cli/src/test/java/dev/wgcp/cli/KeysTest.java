package dev.wgcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.schemas.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

    @TempDir
    Path dir;

    private static CliRun wgcp(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aGeneratedKeyIsPrivateItsPublicKeyIsPrintedAndItIsNeverOverwritten() throws Exception {
        Path key = dir.resolve("registry.key");
        CliRun generated = wgcp("keys", "generate", "--out", key.toString());
        assertEquals(0, generated.exit(), generated.err());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        String publicKey = generated.out().strip();
        assertEquals(SigningKey.fromFile(key).publicKey().toBase64(), publicKey);
        assertTrue(!generated.out().contains(Files.readString(key).strip()), "the secret is never printed");

        CliRun again = wgcp("keys", "generate", "--out", key.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("never overwritten"), again.err());
        assertEquals(publicKey, wgcp("keys", "public", key.toString()).out().strip());

        Files.writeString(dir.resolve("bad.key"), "nope\n");
        CliRun bad = wgcp("keys", "public", dir.resolve("bad.key").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("expected 64") && !bad.err().contains("\tat "), bad.err());
    }
}
