package dev.wgcp.tracker.dns;

import java.util.Locale;
import java.util.Optional;

/** DNS names for peers: the peer's name as one DNS label under its network's zone. */
public final class DnsNames {

    /** The SRV owner prefix for a WireGuard endpoint on another port than 51820 (RFC 2782: _service._proto). */
    public static final String SRV_PREFIX = "_wireguard._udp.";

    private DnsNames() {
    }

    /**
     * The DNS label for a peer name: lower case, every run of characters other than a-z, 0-9 and '-'
     * turned into one '-', no '-' at either end, at most 63 characters. Empty when nothing is left
     * (a peer without a usable name gets no record).
     */
    public static Optional<String> label(String peerName) {
        if (peerName == null) {
            return Optional.empty();
        }
        String label = peerName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (label.length() > 63) {
            label = label.substring(0, 63).replaceAll("-+$", "");
        }
        return label.isEmpty() ? Optional.empty() : Optional.of(label);
    }

    /** {@code name} as an absolute name, with the trailing dot. */
    public static String absolute(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    /** Whether absolute {@code name} is {@code zone} itself or below it. */
    public static boolean within(String name, String zone) {
        String n = absolute(name);
        String z = absolute(zone);
        return n.equals(z) || n.endsWith("." + z);
    }
}
