package dev.wgcp.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** A peer's events in words, for {@code wgcp audit peer}. */
final class PeerStory {

    private PeerStory() {
    }

    /** What {@code event} says happened to {@code peerId}: usually one line, one per edge change for an acknowledgement. */
    static List<String> describe(GenericRecord e, String peerId) {
        String type = e.getSchema().getName();
        List<String> out = new ArrayList<>();
        switch (type) {
            case "PeerRegistered" -> out.add("registered in network " + f(e, "networkId") + " with key " + f(e, "publicKey")
                    + opt(" named ", f(e, "name")) + list(" tags ", e, "tags") + opt(" for edge ", f(e, "edgeId"))
                    + opt(" dialled at ", f(e, "endpoint")));
            case "PeerUpdated" -> out.add("updated: name " + f(e, "name") + list(", tags ", e, "tags") + ", keepalive "
                    + f(e, "persistentKeepaliveSeconds") + " s" + opt(", endpoint ", f(e, "endpoint")));
            case "KeyRotated" -> out.add("key rotated from " + f(e, "oldPublicKey") + " to " + f(e, "newPublicKey")
                    + " (the old key is revoked at " + f(e, "oldKeyRevokedAt") + ")");
            case "KeyRevoked" -> out.add("key " + f(e, "publicKey") + " revoked (" + f(e, "reason") + ")");
            case "PeerRemoved" -> out.add("deleted" + opt("; released ", f(e, "ipv4Address")) + opt(" and ", f(e, "ipv6Address")));
            case "AddressAssigned" -> out.add("address " + join(f(e, "ipv4Address"), f(e, "ipv6Address")) + " from pool " + f(e, "pool")
                    + opt(" on edge ", f(e, "edgeId")));
            case "AddressAllocationFailed" -> out.add("no address: " + f(e, "reason") + ": " + f(e, "message"));
            case "AddressReleased" -> out.add("address " + join(f(e, "ipv4Address"), f(e, "ipv6Address")) + " released, quarantined until "
                    + f(e, "quarantinedUntil"));
            case "EndpointChanged" -> out.add("endpoint seen by " + f(e, "edgeId") + ": " + f(e, "kind")
                    + (f(e, "oldEndpoint") == null ? " " : " " + f(e, "oldEndpoint") + " -> ") + f(e, "newEndpoint"));
            case "PeerCameOnline" -> out.add("online" + ("true".equals(f(e, "firstTime")) ? " for the first time" : "") + " via "
                    + f(e, "edgeId") + opt(" from ", f(e, "endpoint")));
            case "PeerWentStale" -> out.add("stale: no handshake since " + f(e, "latestHandshakeAt") + opt(" (last via ", f(e, "edgeId"))
                    + (f(e, "edgeId") == null ? "" : ")"));
            case "SuspiciousEndpointChurn" -> out.add("suspicious churn: " + f(e, "changes") + " endpoint changes within "
                    + f(e, "windowSeconds") + " s (limit " + f(e, "limit") + ")");
            case "AgentApplied" -> {
                Object changes = e.get("changes");
                if (changes instanceof List<?> list) {
                    for (Object c : list) {
                        GenericRecord change = (GenericRecord) c;
                        if (peerId.equals(f(change, "peerId"))) {
                            out.add("applied on " + f(e, "edgeId") + "/" + f(e, "interfaceName") + ": " + f(change, "action") + " "
                                    + f(change, "publicKey") + " (" + f(change, "reason") + ")" + list(" allowed-ips ", change, "allowedIps"));
                        }
                    }
                }
            }
            default -> out.add(type + " " + Audit.value(e));
        }
        return out;
    }

    private static String f(GenericRecord r, String name) {
        return Audit.field(r, name);
    }

    private static String opt(String prefix, String value) {
        return value == null || value.isEmpty() ? "" : prefix + value;
    }

    private static String join(String v4, String v6) {
        return v4 == null ? String.valueOf(v6) : v6 == null ? v4 : v4 + " and " + v6;
    }

    private static String list(String prefix, GenericRecord r, String name) {
        Object v = Audit.fieldObject(r, name);
        if (v instanceof List<?> l && !l.isEmpty()) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(x.toString()));
            return prefix + String.join(",", parts);
        }
        return "";
    }
}
