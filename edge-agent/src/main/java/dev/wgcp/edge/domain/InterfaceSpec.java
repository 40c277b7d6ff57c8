package dev.wgcp.edge.domain;

/**
 * One WireGuard interface of the edge: its name, the network whose peers it carries, the namespace
 * it lives in (null: this one), its key file and port (null/0: left as they are), and whether the
 * agent owns it (unknown peers removed) or shares it.
 */
public record InterfaceSpec(String name, String network, String netns, String privateKeyFile, int listenPort, boolean exclusive) {

    /** The command prefix that runs a tool in the interface's namespace. */
    public java.util.List<String> nsPrefix() {
        return netns == null || netns.isBlank() ? java.util.List.of() : java.util.List.of("ip", "netns", "exec", netns);
    }
}
