package dev.wgcp.edge.wireguard;

import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link WireGuard} through wireguard-tools: {@code wg show <if> dump} to read, and one
 * {@code wg set <if> peer A ... peer B remove ...} invocation for a whole batch of changes.
 * {@code wg} reaches kernel interfaces by netlink and userspace ones (wireguard-go) through
 * /var/run/wireguard/&lt;if&gt;.sock; {@code commandPrefix} (e.g. {@code ip netns exec ns}) runs it elsewhere.
 */
public final class WgCli implements WireGuard {

    /**
     * Bytes of arguments per {@code wg set}: far below the kernel's limit for a command line with its
     * environment (ARG_MAX, 2 MiB on Linux), so the environment never tips it over.
     */
    static final int ARGUMENT_BUDGET = 256 * 1024;

    private final String ifName;
    private final List<String> prefix;

    public WgCli(String ifName, List<String> commandPrefix) {
        this.ifName = ifName;
        this.prefix = List.copyOf(commandPrefix);
    }

    @Override
    public Map<String, LivePeer> peers() {
        return WgDump.parsePeers(run(List.of("wg", "show", ifName, "dump")));
    }

    @Override
    public void apply(List<PeerChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (List<String> command : setCommands(ifName, changes, ARGUMENT_BUDGET)) {
            run(command);
        }
    }

    /** The arguments of the single {@code wg set} that applies {@code changes}. */
    public static List<String> setCommand(String ifName, List<PeerChange> changes) {
        List<String> cmd = new ArrayList<>(List.of("wg", "set", ifName));
        for (PeerChange c : changes) {
            cmd.addAll(arguments(c));
        }
        return cmd;
    }

    /**
     * The {@code wg set} invocations that apply {@code changes} in order, each with at most {@code
     * budget} bytes of arguments (each counted with its terminating NUL, as the kernel counts them).
     */
    public static List<List<String>> setCommands(String ifName, List<PeerChange> changes, int budget) {
        List<List<String>> commands = new ArrayList<>();
        List<String> head = List.of("wg", "set", ifName);
        int headSize = size(head);
        List<String> current = new ArrayList<>(head);
        int used = headSize;
        for (PeerChange c : changes) {
            List<String> args = arguments(c);
            int size = size(args);
            if (used + size > budget && current.size() > head.size()) {
                commands.add(current);
                current = new ArrayList<>(head);
                used = headSize;
            }
            current.addAll(args);
            used += size;
        }
        if (current.size() > head.size()) {
            commands.add(current);
        }
        return commands;
    }

    private static int size(List<String> args) {
        int n = 0;
        for (String a : args) {
            n += a.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return n;
    }

    private static List<String> arguments(PeerChange c) {
        List<String> cmd = new ArrayList<>();
        cmd.add("peer");
        cmd.add(c.publicKey());
        if (c instanceof PeerChange.Remove) {
            cmd.add("remove");
        } else if (c instanceof PeerChange.Upsert u) {
            cmd.add("allowed-ips");
            cmd.add(String.join(",", u.peer().allowedIps()));
            cmd.add("persistent-keepalive");
            cmd.add(u.peer().persistentKeepalive() == 0 ? "off" : String.valueOf(u.peer().persistentKeepalive()));
            if (u.peer().endpoint() != null) {
                cmd.add("endpoint");
                cmd.add(u.peer().endpoint());
            }
        }
        return cmd;
    }

    private String run(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("'" + command.get(0) + " " + command.get(1) + " " + ifName + "' hung for 30 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("'" + command.get(0) + " " + command.get(1) + " " + ifName + "' exited "
                        + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wg (apt-get install wireguard-tools): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running wg", e);
        }
    }
}
