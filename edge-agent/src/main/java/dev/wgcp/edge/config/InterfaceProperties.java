package dev.wgcp.edge.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * {@code wgcp.agent.interfaces.<interface name>.*}: one of the edge's WireGuard interfaces, the
 * network it serves, and how. Without any, the agent drives the one interface of
 * {@code wgcp.agent.interface-name}, {@code wgcp.agent.network}, … (one-interface configuration).
 */
@EachProperty("wgcp.agent.interfaces")
public class InterfaceProperties {

    private final String name;
    private String network;
    private String netns;
    private String privateKeyFile;
    private int listenPort;
    private boolean exclusive = true;

    public InterfaceProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getNetwork() {
        return network;
    }

    public void setNetwork(String network) {
        this.network = network;
    }

    public String getNetns() {
        return netns;
    }

    public void setNetns(String netns) {
        this.netns = netns;
    }

    public String getPrivateKeyFile() {
        return privateKeyFile;
    }

    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public int getListenPort() {
        return listenPort;
    }

    public void setListenPort(int listenPort) {
        this.listenPort = listenPort;
    }

    public boolean isExclusive() {
        return exclusive;
    }

    public void setExclusive(boolean exclusive) {
        this.exclusive = exclusive;
    }
}
