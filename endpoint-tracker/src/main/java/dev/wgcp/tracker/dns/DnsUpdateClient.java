package dev.wgcp.tracker.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.Address;

/**
 * Sends one name's records as one RFC 2136 update, signed with the zone's TSIG key, over TCP: the
 * name's A and AAAA sets replaced by {@code addresses}, and {@code _wireguard._udp.<name>} SRV set to
 * the port when it is not WireGuard's default (removed when it is). One message, so the server
 * applies all of it or nothing. No addresses: every one of these records is deleted.
 */
public final class DnsUpdateClient {

    public static final int DEFAULT_WIREGUARD_PORT = 51820;

    /** The server's answer, or why there was none. */
    public record Result(Outcome outcome, String detail) {
        public boolean ok() {
            return outcome == Outcome.APPLIED;
        }
    }

    /** APPLIED; REFUSED (the server answered with an error: a wrong key, no permission, a bad zone); UNREACHABLE. */
    public enum Outcome { APPLIED, REFUSED, UNREACHABLE }

    public Result send(DnsZone zone, String name, List<String> addresses, Integer port) {
        Update update;
        try {
            update = message(zone, Name.fromString(DnsNames.absolute(name)), addresses, port);
        } catch (IOException | IllegalArgumentException e) {
            return new Result(Outcome.REFUSED, "the update for " + name + " cannot be built: " + e.getMessage());
        }
        Message answer;
        try {
            SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(zone.host()));
            resolver.setPort(zone.port());
            resolver.setTCP(true);
            resolver.setTimeout(zone.timeout());
            resolver.setTSIGKey(zone.tsig());
            answer = resolver.send(update);
        } catch (IOException e) {
            return new Result(Outcome.UNREACHABLE, zone.host() + ":" + zone.port() + " did not answer: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        int rcode = answer.getRcode();
        if (rcode != Rcode.NOERROR) {
            TSIGRecord tsig = answer.getTSIG();
            String tsigError = tsig != null && tsig.getError() != Rcode.NOERROR ? ", TSIG " + Rcode.TSIGstring(tsig.getError()) : "";
            return new Result(Outcome.REFUSED, zone.host() + ":" + zone.port() + " refused the update of " + name + ": "
                    + Rcode.string(rcode) + tsigError + hint(rcode, tsig));
        }
        if (!answer.isVerified()) {
            return new Result(Outcome.REFUSED, zone.host() + ":" + zone.port() + " answered without a valid TSIG signature: the"
                    + " update may have been applied, but the answer cannot be trusted; check the key");
        }
        return new Result(Outcome.APPLIED, Rcode.string(rcode));
    }

    private static String hint(int rcode, TSIGRecord tsig) {
        if (rcode == Rcode.NOTAUTH) {
            return " (the server does not accept the TSIG key: check tsig-key-name, tsig-algorithm and the secret, and that"
                    + " the server's clock is right)";
        }
        if (rcode == Rcode.REFUSED) {
            return " (the server's update policy does not let this key change this name)";
        }
        if (rcode == Rcode.NOTZONE) {
            return " (the name is not in the zone)";
        }
        return "";
    }

    static Update message(DnsZone zone, Name name, List<String> addresses, Integer port) throws IOException {
        Update update = new Update(zone.zone());
        long ttl = zone.ttl().toSeconds();
        Name srv = Name.fromString(DnsNames.SRV_PREFIX + name);
        update.delete(name, Type.A);
        update.delete(name, Type.AAAA);
        update.delete(srv, Type.SRV);
        if (addresses == null || addresses.isEmpty()) {
            return update;
        }
        for (String a : addresses) {
            InetAddress address = Address.getByAddress(a); // literals only: never a lookup
            update.add(name, Address.familyOf(address) == Address.IPv4 ? Type.A : Type.AAAA, ttl, address.getHostAddress());
        }
        if (port != null && port != DEFAULT_WIREGUARD_PORT) {
            update.add(srv, Type.SRV, ttl, "0 0 " + port + " " + name);
        }
        return update;
    }
}
