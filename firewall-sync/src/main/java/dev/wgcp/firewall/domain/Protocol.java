package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import java.util.Locale;

/** The protocols a policy can name. */
public enum Protocol {
    ANY, TCP, UDP, ICMP;

    public static Protocol parse(String text) {
        if (text == null || text.isBlank()) {
            return ANY;
        }
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("protocol '" + text + "' is not known: expected tcp, udp, icmp or any");
        }
    }

    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
