package dev.wgcp.ipam.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wgcp.pools.<name>.*}: an address pool of a network, created at start when the database has
 * no pool of that name (after that the API owns it). {@code reserved} entries are addresses or
 * {@code first-last} ranges; {@code edge} makes the pool the segment of that edge's interface.
 */
@EachProperty("wgcp.pools")
public class PoolProperties {

    private final String name;
    private String network;
    private String cidr;
    private List<String> reserved = new ArrayList<>();
    private String edge;
    private String description;

    public PoolProperties(@Parameter String name) {
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

    public String getCidr() {
        return cidr;
    }

    public void setCidr(String cidr) {
        this.cidr = cidr;
    }

    public String getEdge() {
        return edge;
    }

    public void setEdge(String edge) {
        this.edge = edge;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public List<String> getReserved() {
        return reserved;
    }

    public void setReserved(List<String> reserved) {
        this.reserved = reserved;
    }
}
