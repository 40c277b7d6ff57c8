package dev.wgcp.edge.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a configured endpoint ({@code host:port}, {@code [v6]:port}, or an address) into the
 * {@code ip:port} WireGuard takes, resolving a DNS name each time it is asked: the reconciler asks on
 * every full pass, so a site whose dynamic IP changed is dialled at its new address once its
 * handshake has gone stale (what reresolve-dns.sh does).
 */
public final class Endpoints {

    private final Function<String, InetAddress> lookup;

    public Endpoints() {
        this(host -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                return null;
            }
        });
    }

    public Endpoints(Function<String, InetAddress> lookup) {
        this.lookup = lookup;
    }

    /** {@code ip:port}, or empty when the name does not resolve (now) or the text is not host:port. */
    public Optional<String> resolve(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            return Optional.empty();
        }
        String host = endpoint.substring(0, colon);
        String port = endpoint.substring(colon + 1);
        if (!port.matches("\\d{1,5}")) {
            return Optional.empty();
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress address = lookup.apply(host);
        if (address == null) {
            return Optional.empty();
        }
        String ip = dev.wgcp.schemas.IpAddresses.canonical(address.getHostAddress());
        return Optional.of((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port);
    }
}
