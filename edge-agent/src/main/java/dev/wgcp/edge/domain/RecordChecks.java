package dev.wgcp.edge.domain;

import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.AddressReleased;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every field of a peer, address or ruleset record that the agent could pass to wireguard-go's
 * control socket, {@code wg} or {@code nft}, checked before the record reaches the desired state,
 * whoever signed it: keys are 32 bytes of base64, addresses parse as literals of their family,
 * keepalives and ports are in range, endpoints are {@code host:port}, ids and names carry no line
 * breaks or control characters, and a ruleset only ever replaces the agent's own table
 * ({@link RulesetScript}). A record that fails is dead-lettered with the returned sentence and
 * changes nothing; the record's key must also name the event's own subject.
 */
public final class RecordChecks {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern NETWORK = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** The only table an agent's ruleset may touch. */
    public static final String TABLE = "inet wgcp";

    private RecordChecks() {
    }

    /** Null when {@code event} may be applied, else what is wrong and what is expected. */
    public static String problem(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        return problem(event, record.key());
    }

    /** Null when {@code event}, read under record key {@code key}, may be applied, else what is wrong and what is expected. */
    public static String problem(SpecificRecord event, String key) {
        String p;
        if (event instanceof PeerRegistered e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), wgKey("publicKey", e.getPublicKey()),
                    keepalive(e.getPersistentKeepaliveSeconds()), text("name", e.getName()), tags(e.getTags()),
                    e.getEdgeId() == null ? null : id("edgeId", e.getEdgeId()), endpoint(e.getEndpoint()));
        } else if (event instanceof PeerUpdated e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), keepalive(e.getPersistentKeepaliveSeconds()),
                    text("name", e.getName()), tags(e.getTags()), endpoint(e.getEndpoint()));
        } else if (event instanceof KeyRotated e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), wgKey("oldPublicKey", e.getOldPublicKey()),
                    wgKey("newPublicKey", e.getNewPublicKey()));
        } else if (event instanceof KeyRevoked e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), wgKey("publicKey", e.getPublicKey()));
        } else if (event instanceof PeerRemoved e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), wgKey("publicKey", e.getPublicKey()),
                    address("ipv4Address", e.getIpv4Address(), false), address("ipv6Address", e.getIpv6Address(), true));
        } else if (event instanceof AddressAssigned e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), address("ipv4Address", e.getIpv4Address(), false),
                    address("ipv6Address", e.getIpv6Address(), true), e.getEdgeId() == null ? null : id("edgeId", e.getEdgeId()),
                    e.getIpv4Address() == null && e.getIpv6Address() == null ? "AddressAssigned has no address: expected ipv4Address,"
                            + " ipv6Address or both" : null);
        } else if (event instanceof AddressReleased e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()), address("ipv4Address", e.getIpv4Address(), false),
                    address("ipv6Address", e.getIpv6Address(), true));
        } else if (event instanceof AddressAllocationFailed e) {
            p = first(peer(e.getPeerId(), key), network(e.getNetworkId()));
        } else if (event instanceof FirewallRulesetChanged e) {
            p = ruleset(e, key);
        } else {
            p = null; // events the agent does not act on
        }
        return p == null ? null : event.getSchema().getName() + " (key " + printable(key) + "): " + p;
    }

    private static String ruleset(FirewallRulesetChanged e, String key) {
        String p = first(id("edgeId", e.getEdgeId()), e.getEdgeId().equals(key) ? null
                : "the record's key names edge " + printable(key) + ", the ruleset edge " + printable(e.getEdgeId()) + ": expected the same",
                TABLE.equals(e.getTable()) ? null : "table is '" + printable(e.getTable()) + "': the agent only ever replaces table " + TABLE,
                SHA256.matcher(e.getSha256()).matches() ? null : "sha256 is not 64 lower-case hex digits");
        if (p != null) {
            return p;
        }
        for (String a : e.getAllowedAddresses()) {
            String bad = a.contains(":") ? address("allowedAddresses", a, true) : address("allowedAddresses", a, false);
            if (bad != null) {
                return bad;
            }
        }
        if (!sha256(e.getRuleset()).equals(e.getSha256())) {
            return "the ruleset's SHA-256 is not the sha256 it names: the text was changed after it was hashed";
        }
        return RulesetScript.problem(e.getRuleset());
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String first(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String peer(String peerId, String key) {
        if (!UUID.matcher(peerId).matches()) {
            return "peerId '" + printable(peerId) + "' is not a UUID";
        }
        return peerId.equals(key) ? null : "the record's key is not its peerId " + peerId + ": expected the peer's id as the key";
    }

    private static String network(String network) {
        return NETWORK.matcher(network).matches() ? null
                : "networkId '" + printable(network) + "' is not a network name (lower-case letters, digits, '-', at most 63)";
    }

    private static String id(String field, String value) {
        return ID.matcher(value).matches() ? null
                : field + " '" + printable(value) + "' is not an id (letters, digits, '.', '_', '-', at most 63)";
    }

    /** A WireGuard key: exactly 32 bytes in standard base64, 44 characters with its padding. */
    static String wgKey(String field, String value) {
        if (value.length() == 44 && value.endsWith("=")) {
            try {
                byte[] raw = java.util.Base64.getDecoder().decode(value);
                if (raw.length == 32 && java.util.Base64.getEncoder().encodeToString(raw).equals(value)) {
                    return null;
                }
            } catch (IllegalArgumentException ignored) {
                // falls through to the message
            }
        }
        return field + " '" + printable(value) + "' is not a WireGuard key: expected 32 bytes in base64 (44 characters)";
    }

    private static String keepalive(int seconds) {
        return seconds >= 0 && seconds <= 65535 ? null
                : "persistentKeepaliveSeconds " + seconds + " is out of range: expected 0 (off) to 65535";
    }

    private static String text(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > 256 || value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            return field + " holds control characters or more than 256 characters: expected one line of text";
        }
        return null;
    }

    private static String tags(List<String> tags) {
        if (tags.size() > 64) {
            return "tags has " + tags.size() + " entries: expected at most 64";
        }
        for (String t : tags) {
            String p = text("tag", t);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** An address literal of its family (no names, no IPv4 inside IPv6, no prefix), or null when absent. */
    static String address(String field, String value, boolean v6) {
        if (value == null) {
            return null;
        }
        if (!v6) {
            return IPV4.matcher(value).matches() ? null : field + " '" + printable(value) + "' is not an IPv4 address: expected a.b.c.d";
        }
        if (IPV6_CHARS.matcher(value).matches() && value.contains(":")) {
            try {
                if (java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address) {
                    return null; // with ':' and only these characters, a literal: never a name lookup
                }
            } catch (java.net.UnknownHostException ignored) {
                // falls through to the message
            }
        }
        return field + " '" + printable(value) + "' is not an IPv6 address: expected a literal such as fd00::2 (not IPv4-mapped)";
    }

    /** {@code host:port} or {@code [v6]:port}, port 1-65535, host an address or a DNS name; null when absent. */
    static String endpoint(String value) {
        if (value == null) {
            return null;
        }
        String expected = "endpoint '" + printable(value) + "' is not host:port: expected e.g. site.example.net:51820 or [2001:db8::1]:51820";
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || !value.substring(colon + 1).matches("\\d{1,5}")) {
            return expected;
        }
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 1 || port > 65535) {
            return expected;
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            return address("endpoint", host.substring(1, host.length() - 1), true) == null ? null : expected;
        }
        return IPV4.matcher(host).matches() || HOSTNAME.matcher(host).matches() ? null : expected;
    }

    /** A value as it may appear in a message: at most 80 characters, control characters shown as '?'. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
