package dev.wgcp.tracker.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wgcp.tracker.ddns.zones.<key>.*}: one DNS zone endpoint-tracker keeps current with RFC 2136
 * updates signed with TSIG. Peers of the listed networks get {@code <peer name>.<zone>}; an edge
 * whose endpoint (as registered) is a name in the zone gets that name.
 */
@EachProperty("wgcp.tracker.ddns.zones")
public class DnsZoneProperties {

    private final String key;
    private String zone;
    /** host:port of the primary server that takes updates; port 53 when left out. */
    private String server;
    private String tsigKeyName;
    private String tsigAlgorithm = "hmac-sha256";
    /** A file holding the base64 TSIG secret (as in a BIND key file's secret, or alone); preferred. */
    private String tsigSecretFile;
    /** The base64 TSIG secret itself, when a file cannot be used (environment variables). */
    private String tsigSecret;
    private List<String> networks = new ArrayList<>();
    private Duration ttl = Duration.ofSeconds(60);
    private Duration timeout = Duration.ofSeconds(5);

    public DnsZoneProperties(@Parameter String key) {
        this.key = key;
    }

    public String getKey() {
        return key;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public String getServer() {
        return server;
    }

    public void setServer(String server) {
        this.server = server;
    }

    public String getTsigKeyName() {
        return tsigKeyName;
    }

    public void setTsigKeyName(String tsigKeyName) {
        this.tsigKeyName = tsigKeyName;
    }

    public String getTsigAlgorithm() {
        return tsigAlgorithm;
    }

    public void setTsigAlgorithm(String tsigAlgorithm) {
        this.tsigAlgorithm = tsigAlgorithm;
    }

    public String getTsigSecretFile() {
        return tsigSecretFile;
    }

    public void setTsigSecretFile(String tsigSecretFile) {
        this.tsigSecretFile = tsigSecretFile;
    }

    public String getTsigSecret() {
        return tsigSecret;
    }

    public void setTsigSecret(String tsigSecret) {
        this.tsigSecret = tsigSecret;
    }

    public List<String> getNetworks() {
        return networks;
    }

    public void setNetworks(List<String> networks) {
        this.networks = networks;
    }

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String toString() {
        return "zone " + key + " (" + zone + " at " + server + ", key " + tsigKeyName + ")"; // never the secret
    }
}
