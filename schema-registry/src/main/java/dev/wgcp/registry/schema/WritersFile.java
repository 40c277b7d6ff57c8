package dev.wgcp.registry.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The schema writers of a registry run on its own (docker compose): one line per writer,
 * {@code <user>:pbkdf2-sha256:<iterations>:<salt>:<hash>} (salt and hash base64), so the file holds
 * no password. A registry checks a writer's password once with PBKDF2 and then keeps only a
 * SHA-256 of the pair it accepted, so repeated writes do not pay for PBKDF2 again.
 */
public final class WritersFile implements SchemaRegistryServer.Writers {

    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, Entry> entries;
    private final Map<String, byte[]> accepted = new ConcurrentHashMap<>();

    private WritersFile(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** The line of {@code user} with {@code password}, with a fresh salt. */
    public static String line(String user, String password) {
        if (user.isBlank() || user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("writer name '" + user + "' is not usable: expected a principal name without ':' or spaces");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":" + SCHEME + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(pbkdf2(password, salt, ITERATIONS));
    }

    /** Reads {@code file}; a line that is not a writer's says which and what is expected. */
    public static WritersFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":");
            try {
                if (f.length != 5 || !SCHEME.equals(f[1])) {
                    throw new IllegalArgumentException("bad format");
                }
                entries.put(f[0], new Entry(Integer.parseInt(f[2]), Base64.getDecoder().decode(f[3]), Base64.getDecoder().decode(f[4])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " of " + file + " is not a schema writer: expected <user>:" + SCHEME
                        + ":<iterations>:<salt>:<hash>, as 'wgcp schema-registry writers' writes it");
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " names no schema writer: nobody could register a schema;"
                    + " make it with 'wgcp schema-registry writers'");
        }
        return new WritersFile(entries);
    }

    public java.util.Set<String> users() {
        return entries.keySet();
    }

    @Override
    public boolean accepts(String username, String password) {
        Entry entry = entries.get(username);
        if (entry == null) {
            return false;
        }
        byte[] pair = sha256(username + ":" + password);
        byte[] known = accepted.get(username);
        if (known != null && MessageDigest.isEqual(known, pair)) {
            return true;
        }
        if (MessageDigest.isEqual(entry.hash(), pbkdf2(password, entry.salt(), entry.iterations()))) {
            accepted.put(username, pair);
            return true;
        }
        return false;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
