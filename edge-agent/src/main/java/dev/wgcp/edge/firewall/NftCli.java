package dev.wgcp.edge.firewall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nftables through the {@code nft} binary (Debian package nftables), in the edge's network
 * namespace when it has one. A script goes to {@code nft -f -} on standard input: nft applies a
 * file as one transaction.
 */
public final class NftCli implements Firewall {

    private final List<String> prefix;

    /** @param prefix what runs nft in the right namespace, e.g. {@code ip netns exec edge1}; empty for this one */
    public NftCli(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    @Override
    public void apply(String script) {
        Result r = run(List.of("nft", "-f", "-"), script);
        if (r.exit() != 0) {
            throw new FirewallException("nft refused the ruleset (nothing of it was applied): " + r.output().strip());
        }
    }

    @Override
    public Optional<String> list(String table) {
        List<String> cmd = new ArrayList<>(List.of("nft", "list", "table"));
        cmd.addAll(List.of(table.split(" ")));
        Result r = run(cmd, null);
        if (r.exit() != 0) {
            if (r.output().contains("No such file or directory") || r.output().contains("does not exist")) {
                return Optional.empty();
            }
            throw new FirewallException("nft cannot list table " + table + ": " + r.output().strip());
        }
        return Optional.of(r.output());
    }

    private record Result(int exit, String output) {
    }

    private Result run(List<String> command, String stdin) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FirewallException("nft did not finish within 30 s: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new FirewallException("cannot run nft (" + e.getMessage() + "): install nftables (apt-get install nftables),"
                    + " or set wgcp.agent.firewall-enabled=false to leave the firewall alone");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FirewallException("interrupted while running nft");
        }
    }
}
