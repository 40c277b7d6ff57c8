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
        run(setCommand(ifName, changes));
    }

    /** The arguments of the single {@code wg set} that applies {@code changes}. */
    public static List<String> setCommand(String ifName, List<PeerChange> changes) {
        List<String> cmd = new ArrayList<>(List.of("wg", "set", ifName));
        for (PeerChange c : changes) {
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
