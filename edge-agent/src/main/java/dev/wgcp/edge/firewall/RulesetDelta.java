package dev.wgcp.edge.firewall;

import dev.wgcp.edge.domain.DesiredRuleset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When two rulesets differ only in the elements of their address sets (a peer came or went: the
 * common change; their {@link #skeleton}s are equal), the nft statements that turn one into the
 * other: one small transaction instead of replacing a table of 10,000 elements (about 5 ms against
 * 60 ms here). Sets it cannot tell apart get null, and the table is replaced as a whole.
 */
final class RulesetDelta {

    private static final Pattern ELEMENTS = Pattern.compile("(?m)^[ \\t]*elements = \\{[^}]*}[ \\t]*\\n?");
    private static final Pattern ELEMENT_LISTS = Pattern.compile("elements = \\{([^}]*)}");
    private static final Pattern SET = Pattern.compile("set (\\S+) \\{\\s*type (ipv4_addr|ipv6_addr)");

    private RulesetDelta() {
    }

    /**
     * Statements adding {@code add} to and removing {@code remove} from the address sets of
     * {@code ruleset} (one set per address family), or null when that is not possible or nothing to do.
     */
    static String elements(DesiredRuleset ruleset, java.util.Collection<String> add, java.util.Collection<String> remove) {
        Map<String, String> setByType = new TreeMap<>();
        Matcher m = SET.matcher(ruleset.script());
        while (m.find()) {
            if (setByType.put(m.group(2), m.group(1)) != null) {
                return null; // two sets of one type: which one an address is in is not known
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String verb : List.of("add", "delete")) {
            TreeSet<String> addresses = new TreeSet<>(verb.equals("add") ? add : remove);
            for (String type : List.of("ipv4_addr", "ipv6_addr")) {
                List<String> of = new ArrayList<>();
                for (String a : addresses) {
                    if (a.contains(":") == type.equals("ipv6_addr")) {
                        of.add(a);
                    }
                }
                if (of.isEmpty()) {
                    continue;
                }
                String set = setByType.get(type);
                if (set == null) {
                    return null;
                }
                sb.append(verb).append(" element ").append(ruleset.table()).append(' ').append(set).append(" { ")
                        .append(String.join(", ", of)).append(" }\n");
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Every set element in an nft listing or script, in canonical form (IPv6 compressed as nft prints it). */
    static java.util.Set<String> elementsOf(String listing) {
        java.util.Set<String> out = new TreeSet<>();
        Matcher m = ELEMENT_LISTS.matcher(listing);
        while (m.find()) {
            for (String e : m.group(1).split("[,\\s]+")) {
                if (!e.isBlank()) {
                    out.add(canonical(e.strip()));
                }
            }
        }
        return out;
    }

    static java.util.Set<String> canonical(java.util.Collection<String> addresses) {
        java.util.Set<String> out = new TreeSet<>();
        addresses.forEach(a -> out.add(canonical(a)));
        return out;
    }

    static String canonical(String address) {
        return dev.wgcp.edge.domain.Addresses.canonical(address);
    }

    /** The script without its set elements. */
    static String skeleton(String script) {
        return ELEMENTS.matcher(script).replaceAll("");
    }
}
