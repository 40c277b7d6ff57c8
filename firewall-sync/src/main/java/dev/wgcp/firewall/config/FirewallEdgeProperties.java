package dev.wgcp.firewall.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/** {@code wgcp.firewall.edges.<id>.*}: an edge whose ruleset firewall-sync keeps. */
@EachProperty("wgcp.firewall.edges")
public class FirewallEdgeProperties {

    private final String id;
    private String network;
    private String interfaceName = "wg0";
    private java.util.Map<String, String> interfaces = new java.util.LinkedHashMap<>();

    public FirewallEdgeProperties(@Parameter String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }

    public String getNetwork() {
        return network;
    }

    public void setNetwork(String network) {
        this.network = network;
    }

    /** Name of the edge's WireGuard interface ({@code interface} in YAML). */
    public String getInterface() {
        return interfaceName;
    }

    public void setInterface(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    /**
     * For an edge with several WireGuard interfaces: each interface's name and the network it serves
     * ({@code interfaces: {wg0: home, wg1: lab}}); replaces {@code network} and {@code interface}.
     */
    public java.util.Map<String, String> getInterfaces() {
        return interfaces;
    }

    public void setInterfaces(java.util.Map<String, String> interfaces) {
        this.interfaces = interfaces;
    }
}
