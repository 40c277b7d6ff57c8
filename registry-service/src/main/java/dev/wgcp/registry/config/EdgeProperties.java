package dev.wgcp.registry.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.ArrayList;
import java.util.List;

/** {@code wgcp.edges.<id>.*}: a WireGuard server, its public key, public endpoint and the networks it serves. */
@EachProperty("wgcp.edges")
public class EdgeProperties {

    private final String id;
    private String publicKey;
    private String endpoint;
    private List<String> networks = new ArrayList<>();
    private String signingKey;

    public EdgeProperties(@Parameter String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    /** The public key the edge's agent signs its reports with (base64 of 32 bytes; {@code wgcp keys public}). */
    public String getSigningKey() {
        return signingKey == null || signingKey.isBlank() ? null : signingKey.strip(); // an unset ${VARIABLE:} is none
    }

    public void setSigningKey(String signingKey) {
        this.signingKey = signingKey;
    }

    public List<String> getNetworks() {
        return networks;
    }

    public void setNetworks(List<String> networks) {
        this.networks = networks;
    }
}
