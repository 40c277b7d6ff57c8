package dev.wgcp.edge.firewall;

/** The firewall could not be read or changed; the agent logs it and tries again on its next pass. */
public class FirewallException extends RuntimeException {

    public FirewallException(String message) {
        super(message);
    }
}
