package dev.wgcp.devstack;

import picocli.CommandLine;

/** Runs a command-line tool so that a failure prints what went wrong, not a stack trace. */
public final class Cli {

    private Cli() {
    }

    public static int execute(String name, Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(name + ": " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
