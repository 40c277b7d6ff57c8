package dev.wgcp.firewall.domain;

/** An edge as firewall-sync needs it: which network its interface serves, and the interface's name. */
public record EdgeSpec(String edgeId, String networkId, String interfaceName) {

    public EdgeSpec {
        if (!interfaceName.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("interface name '" + interfaceName
                    + "' is not a Linux interface name (1 to 15 of A-Z a-z 0-9 _ . -)");
        }
    }
}
