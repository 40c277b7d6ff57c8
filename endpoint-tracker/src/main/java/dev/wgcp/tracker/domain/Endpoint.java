package dev.wgcp.tracker.domain;

/**
 * A public endpoint as WireGuard prints it: {@code host:port}, or {@code [v6]:port} for IPv6.
 */
public record Endpoint(String host, int port) {

    public static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("endpoint is empty: expected host:port or [v6]:port");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + text + "' has no port: expected host:port or [v6]:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("endpoint '" + text + "': an IPv6 host must be in brackets, e.g. [2001:db8::1]:51820");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + text + "' has a port that is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint '" + text + "' has port " + port + ": expected 1 to 65535");
        }
        return new Endpoint(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
