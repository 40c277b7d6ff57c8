package dev.wgcp.cli;

import dev.wgcp.schemas.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code wgcp keys}: the Ed25519 keys services sign their records with. {@code generate} writes a
 * new key to a file (0600) and prints its public key, which agents are configured to trust
 * ({@code wgcp.trust.<service>}); {@code public} prints the public key of an existing key file.
 */
@Command(name = "keys", description = "Record-signing keys: generate one for a service, or print a key file's public key (to trust).",
        subcommands = {Keys.Generate.class, Keys.Public.class})
final class Keys {
    @ParentCommand
    Wgcp root;

    @Command(name = "generate", description = "Writes a new signing key to FILE (mode 0600; never overwrites) and prints its public key.")
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        Keys keys;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the key goes (a service's wgcp.signing.key-file)")
        Path out;

        @Override
        public Integer call() {
            if (Files.exists(out)) {
                throw new Api.ApiException(2, out + " exists: a signing key is never overwritten (agents trust it); choose another file,"
                        + " or move it aside first");
            }
            SigningKey key = SigningKey.generate();
            key.writeTo(out);
            keys.root.out().println(key.publicKey().toBase64());
            return 0;
        }
    }

    @Command(name = "public", description = "Prints the public key of a signing key file: what agents trust (wgcp.trust.<service>).")
    static final class Public implements Callable<Integer> {
        @ParentCommand
        Keys keys;
        @Parameters(paramLabel = "FILE") Path file;

        @Override
        public Integer call() {
            try {
                keys.root.out().println(SigningKey.fromFile(file).publicKey().toBase64());
            } catch (IllegalArgumentException e) {
                throw new Api.ApiException(2, e.getMessage());
            }
            return 0;
        }
    }
}
