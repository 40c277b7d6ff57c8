package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import java.util.ArrayList;
import java.util.List;

/** Port lists as the API takes them ("22", "8000-8080") and as nft writes them. */
public final class Ports {

    private Ports() {
    }

    /** Checks and normalizes ports for {@code protocol}: none unless tcp or udp. */
    public static List<String> check(Protocol protocol, List<String> ports) {
        if (ports == null || ports.isEmpty()) {
            return List.of();
        }
        if (!protocol.hasPorts()) {
            throw Refusal.invalid("ports " + ports + " need protocol tcp or udp, not " + protocol.lower());
        }
        List<String> out = new ArrayList<>();
        for (String p : ports) {
            String s = p == null ? "" : p.strip();
            String[] range = s.split("-", -1);
            if (range.length > 2 || s.isEmpty()) {
                throw Refusal.invalid("port '" + p + "' is not a port or range: expected e.g. 22 or 8000-8080");
            }
            int from = port(p, range[0]);
            int to = range.length == 2 ? port(p, range[1]) : from;
            if (to < from) {
                throw Refusal.invalid("port range '" + p + "' ends before it starts: expected low-high, e.g. 8000-8080");
            }
            out.add(from == to ? String.valueOf(from) : from + "-" + to);
        }
        return List.copyOf(out);
    }

    private static int port(String original, String text) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port < 1 || port > 65535) {
                throw Refusal.invalid("port " + port + " in '" + original + "' is out of range: expected 1 to 65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw Refusal.invalid("port '" + original + "' is not a number: expected e.g. 22 or 8000-8080");
        }
    }
}
