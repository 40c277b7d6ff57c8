package dev.wgcp.devstack;

import dev.wgcp.infra.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code docker-compose config} of the repository's docker-compose.yml as an operator runs it after
 * {@code docker compose run --rm init}: in a copy of the project whose secrets directory holds the
 * env files init writes (empty here; compose refuses to read a file that does not exist).
 */
final class ComposeConfig {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private ComposeConfig() {
    }

    static Shell.Result run(Path scratch, Map<String, String> env, String... args) {
        try {
            Path project = Files.createDirectories(scratch.resolve("compose-project"));
            Files.copy(REPO.resolve("docker-compose.yml"), project.resolve("docker-compose.yml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path secrets = Files.createDirectories(project.resolve("deploy/compose/secrets/kafka"));
            for (Path f : List.of(secrets.resolve("kafka-ui.env"), secrets.getParent().resolve("trust.env"))) {
                if (!Files.exists(f)) {
                    Files.createFile(f);
                }
            }
            List<String> cmd = new ArrayList<>(List.of("env"));
            env.forEach((k, v) -> cmd.add(k + "=" + v));
            cmd.addAll(List.of("docker-compose", "--project-directory", project.toString(), "-f", project.resolve("docker-compose.yml").toString()));
            cmd.addAll(List.of(args));
            return Shell.exec(cmd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
