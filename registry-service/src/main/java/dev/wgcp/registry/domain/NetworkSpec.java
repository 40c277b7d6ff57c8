package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Validation of what defines networks and edges, with messages that say what is expected. */
public final class NetworkSpec {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3})/(\\d{1,2})");
    private static final Pattern IPV6_CIDR = Pattern.compile("([0-9a-fA-F:]+)/(\\d{1,3})");
    private static final Pattern HOSTNAME = Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private NetworkSpec() {
    }

    public static String name(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Refusal.invalid(what + " '" + name + "' is not valid; expected 1 to 63 lowercase letters, digits "
                    + "or '-', starting with a letter or digit, e.g. home or edge-1");
        }
        return name;
    }

    /** Routes: at least one CIDR (IPv4 or IPv6), as clients route them into the tunnel. */
    public static List<String> routes(List<String> routes) {
        if (routes == null || routes.isEmpty()) {
            throw Refusal.invalid("routes is empty: expected the CIDRs clients route into the tunnel, e.g. [\"10.100.0.0/24\"]");
        }
        List<String> out = new ArrayList<>();
        for (String r : routes) {
            out.add(cidr(r));
        }
        return List.copyOf(out);
    }

    static String cidr(String text) {
        String t = text == null ? "" : text.strip();
        var v4 = IPV4_CIDR.matcher(t);
        var v6 = IPV6_CIDR.matcher(t);
        boolean ok = false;
        if (v4.matches()) {
            ok = Integer.parseInt(v4.group(3)) <= 32 && literal(v4.group(1));
        } else if (v6.matches()) {
            ok = Integer.parseInt(v6.group(2)) <= 128 && literal(v6.group(1));
        }
        if (!ok) {
            throw Refusal.invalid("route '" + text + "' is not a CIDR; expected e.g. 10.100.0.0/24 or fd00:100::/64");
        }
        return t;
    }

    public static List<String> dns(List<String> servers) {
        if (servers == null) {
            return List.of();
        }
        for (String s : servers) {
            if (s == null || !literal(s)) {
                throw Refusal.invalid("DNS server '" + s + "' is not an IP address; expected e.g. 10.100.0.1 or fd00:100::1");
            }
        }
        return List.copyOf(servers);
    }

    public static int keepalive(Integer seconds) {
        int k = seconds == null ? 25 : seconds;
        if (k < 0 || k > 65535) {
            throw Refusal.invalid("persistentKeepalive must be 0 (off) to 65535 seconds, got " + k
                    + "; 25 keeps NAT mappings open for peers behind NAT");
        }
        return k;
    }

    /** An edge's public endpoint: host:port, the host a DNS name (for servers whose IP changes), an IPv4 address or [IPv6]. */
    public static String endpoint(String endpoint) {
        String e = endpoint == null ? "" : endpoint.strip();
        int colon = e.lastIndexOf(':');
        boolean ok = colon > 0;
        if (ok) {
            String host = e.substring(0, colon);
            String port = e.substring(colon + 1);
            ok = port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
            if (host.startsWith("[") && host.endsWith("]")) {
                ok &= literal(host.substring(1, host.length() - 1)) && host.contains(":");
            } else {
                ok &= HOSTNAME.matcher(host).matches();
            }
        }
        if (!ok) {
            throw Refusal.invalid("endpoint '" + endpoint + "' is not host:port; expected e.g. vpn.example.net:51820, "
                    + "203.0.113.7:51820 or [2001:db8::7]:51820 (a DNS name where its IP is dynamic)");
        }
        return e;
    }

    /**
     * Whether {@code text} is an IP literal. IPv4 is checked here, octet by octet; IPv6 (it has a
     * colon) is parsed by the JDK, which treats such text as a literal and never looks it up in DNS.
     */
    private static boolean literal(String text) {
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(text) instanceof java.net.Inet6Address;
        } catch (Exception e) {
            return false;
        }
    }
}
