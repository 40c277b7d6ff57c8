package dev.wgcp.registry.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.ArrayList;
import java.util.List;

/** {@code wgcp.networks.<name>.*}: a network as clients see it. */
@EachProperty("wgcp.networks")
public class NetworkProperties {

    private final String name;
    private List<String> routes = new ArrayList<>();
    private List<String> dns = new ArrayList<>();
    private int persistentKeepalive = 25;

    public NetworkProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public List<String> getRoutes() {
        return routes;
    }

    public void setRoutes(List<String> routes) {
        this.routes = routes;
    }

    public List<String> getDns() {
        return dns;
    }

    public void setDns(List<String> dns) {
        this.dns = dns;
    }

    public int getPersistentKeepalive() {
        return persistentKeepalive;
    }

    public void setPersistentKeepalive(int persistentKeepalive) {
        this.persistentKeepalive = persistentKeepalive;
    }
}
