package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

/** Names of groups, policies and allow-lists: they become parts of nft set names. */
public final class Names {

    private Names() {
    }

    /** Checks a name: 1 to 32 of a-z, 0-9 and '-', starting with a letter or digit. */
    public static String check(String what, String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw Refusal.invalid(what + " name '" + name + "' is not allowed: expected 1 to 32 of a-z, 0-9 and '-',"
                    + " starting with a letter or digit, e.g. admins");
        }
        return name;
    }

    /** The name inside nft identifiers ('-' is not allowed there; '_' is not allowed in ours, so no two names meet). */
    public static String nft(String name) {
        return name.replace('-', '_');
    }
}
