package dev.wgcp.registry.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * {@code wgcp.registry.mtls.clients.<common name>.*}: a client certificate's subject CN allowed in
 * place of an API token when the server asks for client certificates (mTLS), with the scope it gets.
 */
@EachProperty("wgcp.registry.mtls.clients")
public class ClientCertificateProperties {

    private final String commonName;
    private String scope;
    private String network;

    public ClientCertificateProperties(@Parameter String commonName) {
        this.commonName = commonName;
    }

    public String getCommonName() {
        return commonName;
    }

    /** admin, operator, read-only or agent. */
    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    /** Operators only: the network the certificate is limited to. */
    public String getNetwork() {
        return network;
    }

    public void setNetwork(String network) {
        this.network = network;
    }
}
