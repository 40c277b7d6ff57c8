package dev.wgcp.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a system command and fails with its output when it does not exit 0. */
public final class Shell {

    private Shell() {
    }

    /** Output of a command that exited 0. */
    public static String run(List<String> command) {
        Result r = exec(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' exited " + r.exitCode() + ": " + r.output().strip());
        }
        return r.output();
    }

    public static String run(String... command) {
        return run(List.of(command));
    }

    /** Exit code and combined output of a command, whatever the code. */
    public static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish within 60 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + String.join(" ", command) + "': " + e.getMessage()
                    + " (is the package that provides '" + command.get(0) + "' installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    public record Result(int exitCode, String output) {
    }
}
