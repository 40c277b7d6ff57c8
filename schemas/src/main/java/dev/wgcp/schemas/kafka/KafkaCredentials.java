package dev.wgcp.schemas.kafka;

import dev.wgcp.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The SCRAM passwords of an embedded broker's principals, one file each ({@code <principal>.password},
 * mode 0600, in a directory only its owner may enter), made at first use with 256 random bits and
 * kept, so that a devstack's services keep their credentials across restarts. Passwords never go on
 * a command line or into a log: services get the file's path.
 */
public final class KafkaCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path dir;

    private KafkaCredentials(Path dir) {
        this.dir = dir;
    }

    public static KafkaCredentials inDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return new KafkaCredentials(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka credentials directory " + dir, e);
        }
    }

    /** Whether {@code principal} has a password here already. */
    public boolean has(String principal) {
        return Files.exists(file(principal));
    }

    /** The file holding {@code principal}'s password, made first when absent. */
    public synchronized Path passwordFile(String principal) {
        Path f = file(principal);
        if (!Files.exists(f)) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            try {
                Path tmp = dir.resolve("." + principal + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Kafka password of " + principal + " to " + f, e);
            }
        }
        return f;
    }

    /** {@code principal}'s password, made first when absent. */
    public String password(String principal) {
        return KafkaConnection.readSecret(passwordFile(principal), "Kafka password of " + principal);
    }

    /**
     * A Kafka client properties file for {@code connection} ({@code <principal>.properties}, mode
     * 0600: it holds the password): what {@code wgcp audit --kafka-config} and Kafka's own tools
     * ({@code --command-config}) read.
     */
    public synchronized Path clientConfigFile(KafkaConnection connection) {
        Path f = dir.resolve(file(connection.username()).getFileName().toString().replace(".password", ".properties"));
        java.util.Properties p = connection.properties(null);
        StringBuilder sb = new StringBuilder("# Kafka client settings of principal " + connection.username() + " (written by wgcp)\n");
        new java.util.TreeMap<>(p).forEach((k, v) -> sb.append(k).append('=').append(escape(v.toString())).append('\n'));
        try {
            Path tmp = dir.resolve("." + connection.username() + ".properties.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, sb.toString());
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Kafka client settings to " + f, e);
        }
        return f;
    }

    /** A value as java.util.Properties reads it back (backslashes, and nothing else special here). */
    private static String escape(String v) {
        return v.replace("\\", "\\\\");
    }

    private Path file(String principal) {
        if (!NAME.matcher(principal).matches()) {
            throw new IllegalArgumentException("'" + principal + "' is not a principal name: expected letters, digits, '.', '_' or '-'");
        }
        return dir.resolve(principal + ".password");
    }
}
