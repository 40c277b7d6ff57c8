package dev.wgcp.tracker.dns;

import dev.wgcp.tracker.config.DnsZoneProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * One zone endpoint-tracker updates, checked at start: where its primary server is and the TSIG key
 * updates are signed with. The secret is held only inside the {@link TSIG} object and never printed.
 */
public final class DnsZone {

    private static final Pattern KEY_FILE_SECRET = Pattern.compile("secret\\s+\"([^\"]+)\"");

    private final String key;
    private final Name zone;
    private final String host;
    private final int port;
    private final String keyName;
    private final String algorithm;
    private final TSIG tsig;
    private final List<String> networks;
    private final Duration ttl;
    private final Duration timeout;

    private DnsZone(String key, Name zone, String host, int port, String keyName, String algorithm, TSIG tsig, List<String> networks,
                    Duration ttl, Duration timeout) {
        this.key = key;
        this.zone = zone;
        this.host = host;
        this.port = port;
        this.keyName = keyName;
        this.algorithm = algorithm;
        this.tsig = tsig;
        this.networks = List.copyOf(networks);
        this.ttl = ttl;
        this.timeout = timeout;
    }

    /** Checks the zone's settings; the message of the exception names the setting and what is expected. */
    public static DnsZone of(DnsZoneProperties p) {
        String prefix = "wgcp.tracker.ddns.zones." + p.getKey() + ".";
        if (p.getZone() == null || p.getZone().isBlank()) {
            throw new IllegalArgumentException(prefix + "zone is missing: expected the zone's name, e.g. wg.example.net");
        }
        Name zone;
        try {
            zone = Name.fromString(DnsNames.absolute(p.getZone().strip()));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(prefix + "zone '" + p.getZone() + "' is not a DNS name: " + e.getMessage());
        }
        if (p.getServer() == null || p.getServer().isBlank()) {
            throw new IllegalArgumentException(prefix + "server is missing: expected host:port of the zone's primary, e.g. 192.0.2.53:53");
        }
        String server = p.getServer().strip();
        String host = server;
        int port = 53;
        int colon = server.lastIndexOf(':');
        if (colon > 0 && (server.startsWith("[") || server.indexOf(':') == colon)) {
            host = server.substring(0, colon).replace("[", "").replace("]", "");
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(prefix + "server '" + server + "' has a port that is not a number: expected host:port");
            }
        }
        if (p.getTsigKeyName() == null || p.getTsigKeyName().isBlank()) {
            throw new IllegalArgumentException(prefix + "tsig-key-name is missing: updates are signed with TSIG (RFC 8945); expected"
                    + " the key's name as the DNS server knows it");
        }
        String secret = secret(p, prefix);
        Name algorithm;
        try {
            algorithm = TSIG.algorithmToName(p.getTsigAlgorithm());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "tsig-algorithm '" + p.getTsigAlgorithm() + "' is not known: expected"
                    + " hmac-sha256 (the default), hmac-sha512, hmac-sha384, hmac-sha224 or hmac-sha1");
        }
        TSIG tsig;
        try {
            tsig = new TSIG(algorithm, Name.fromString(DnsNames.absolute(p.getTsigKeyName().strip())), Base64.getDecoder().decode(secret));
        } catch (IllegalArgumentException | TextParseException e) {
            throw new IllegalArgumentException(prefix + "the TSIG secret is not base64 or the key name is not a DNS name: expected"
                    + " the base64 secret that tsig-keygen printed");
        }
        if (p.getTtl() == null || p.getTtl().isNegative() || p.getTtl().isZero()) {
            throw new IllegalArgumentException(prefix + "ttl is " + p.getTtl() + ": expected a positive duration such as 60s");
        }
        return new DnsZone(p.getKey(), zone, host, port, p.getTsigKeyName().strip(), p.getTsigAlgorithm(), tsig, p.getNetworks(),
                p.getTtl(), p.getTimeout());
    }

    private static String secret(DnsZoneProperties p, String prefix) {
        if (p.getTsigSecretFile() != null && !p.getTsigSecretFile().isBlank()) {
            String text;
            try {
                text = Files.readString(Path.of(p.getTsigSecretFile().strip()));
            } catch (IOException e) {
                throw new IllegalArgumentException(prefix + "tsig-secret-file " + p.getTsigSecretFile() + " cannot be read ("
                        + e.getClass().getSimpleName() + "): expected a file holding the base64 secret, or a BIND key file");
            }
            Matcher m = KEY_FILE_SECRET.matcher(text);
            return m.find() ? m.group(1).strip() : text.strip();
        }
        if (p.getTsigSecret() != null && !p.getTsigSecret().isBlank()) {
            return p.getTsigSecret().strip();
        }
        throw new IllegalArgumentException(prefix + "tsig-secret-file is missing: expected a file with the base64 TSIG secret"
                + " (or a BIND key file from tsig-keygen), or tsig-secret");
    }

    public String key() {
        return key;
    }

    public Name zone() {
        return zone;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public TSIG tsig() {
        return tsig;
    }

    public List<String> networks() {
        return networks;
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return zone + " at " + host + ":" + port + " (TSIG key " + keyName + ", " + algorithm + ")";
    }
}
