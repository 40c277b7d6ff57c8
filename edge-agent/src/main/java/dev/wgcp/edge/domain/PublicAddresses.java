package dev.wgcp.edge.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a server's public addresses out of what {@code ip -o addr show} or an operator's command prints. */
public final class PublicAddresses {

    private static final Pattern IP_ADDR = Pattern.compile("\\binet6?\\s+([0-9a-fA-F:.]+)/\\d+");
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:]*");

    private PublicAddresses() {
    }

    /**
     * The addresses in {@code ip -o addr show dev X scope global} output, in the order printed; IPv6
     * addresses WireGuard peers cannot reach for long are left out: temporary (privacy) and
     * deprecated ones.
     */
    public static List<String> fromIpAddr(String output) {
        List<String> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.contains(" temporary") || line.contains(" deprecated") || line.contains(" tentative")) {
                continue;
            }
            Matcher m = IP_ADDR.matcher(line);
            if (m.find() && !out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /**
     * The IP addresses among the whitespace-separated words of a command's output. Anything else is
     * refused: a command that prints an error page must not become a DNS record.
     */
    public static List<String> fromCommand(String output) {
        List<String> out = new ArrayList<>();
        for (String word : output.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!V4.matcher(word).matches() && !(V6.matcher(word).matches() && word.chars().filter(c -> c == ':').count() >= 2)) {
                throw new IllegalArgumentException("the public address command printed '" + abbreviate(word)
                        + "', which is not an IP address: expected only IPv4 or IPv6 addresses, separated by white space");
            }
            if (!out.contains(word)) {
                out.add(word);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
