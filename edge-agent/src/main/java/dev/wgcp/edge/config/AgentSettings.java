package dev.wgcp.edge.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code wgcp.agent.*}: which edge this is, which interface it drives and how. */
@ConfigurationProperties("wgcp.agent")
public class AgentSettings {

    private String edgeId = "edge-0";
    private String interfaceName = "wg0";
    private String network;
    private String netns;
    private String privateKeyFile;
    private int listenPort;
    private boolean exclusive = true;
    private Duration resyncInterval = Duration.ofSeconds(30);
    private Duration telemetryInterval = Duration.ofSeconds(2);
    private String socketDir = "/var/run/wireguard";
    private boolean firewallEnabled = true;
    private Duration firewallWait = Duration.ofSeconds(5);
    private double removalGuardShare = 0.5;
    private int removalGuardMinPeers = 10;
    private String publicAddressInterface;
    private String publicAddressCommand;
    private Duration publicAddressInterval = Duration.ofSeconds(60);

    public String getEdgeId() {
        return edgeId;
    }

    public void setEdgeId(String edgeId) {
        this.edgeId = edgeId;
    }

    public String getInterfaceName() {
        return interfaceName;
    }

    public void setInterfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    /** The network whose peers belong on this interface. */
    public String getNetwork() {
        return network;
    }

    public void setNetwork(String network) {
        this.network = network;
    }

    /** Network namespace the interface lives in, if not the agent's own. */
    public String getNetns() {
        return netns;
    }

    public void setNetns(String netns) {
        this.netns = netns;
    }

    /** File with the interface's private key (0600); when set, the agent configures key and port at start. */
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

    /** Whether the agent owns the interface: peers the registry does not know are removed. */
    public boolean isExclusive() {
        return exclusive;
    }

    public void setExclusive(boolean exclusive) {
        this.exclusive = exclusive;
    }

    public Duration getResyncInterval() {
        return resyncInterval;
    }

    public void setResyncInterval(Duration resyncInterval) {
        this.resyncInterval = resyncInterval;
    }

    /** Where userspace WireGuard implementations keep their control sockets. */
    public String getSocketDir() {
        return socketDir;
    }

    public void setSocketDir(String socketDir) {
        this.socketDir = socketDir;
    }

    /**
     * How often the interface is read for endpoint and handshake changes to report, at most; the agent
     * reads a large interface less often, so that reading takes at most 2 % of the interface's time.
     */
    public Duration getTelemetryInterval() {
        return telemetryInterval;
    }

    public void setTelemetryInterval(Duration telemetryInterval) {
        this.telemetryInterval = telemetryInterval;
    }

    /** Whether the agent applies firewall-sync's ruleset for this edge (its own nft table) and orders peers with it. */
    public boolean isFirewallEnabled() {
        return firewallEnabled;
    }

    public void setFirewallEnabled(boolean firewallEnabled) {
        this.firewallEnabled = firewallEnabled;
    }

    /**
     * How long a new peer waits for a ruleset that lets its addresses in before it is added anyway
     * (with a warning: its packets are dropped until the ruleset follows).
     */
    public Duration getFirewallWait() {
        return firewallWait;
    }

    public void setFirewallWait(Duration firewallWait) {
        this.firewallWait = firewallWait;
    }

    /**
     * The largest share of an exclusive interface's live peers (0..1) that one full pass may remove
     * as unknown to the registry; more means the desired state came up empty or short, and those
     * removals are withheld (logged, {@code wgcp_agent_removals_withheld}). 1 switches the guard off.
     */
    public double getRemovalGuardShare() {
        return removalGuardShare;
    }

    public void setRemovalGuardShare(double removalGuardShare) {
        this.removalGuardShare = removalGuardShare;
    }

    /** Interfaces with fewer live peers than this are not guarded. */
    public int getRemovalGuardMinPeers() {
        return removalGuardMinPeers;
    }

    public void setRemovalGuardMinPeers(int removalGuardMinPeers) {
        this.removalGuardMinPeers = removalGuardMinPeers;
    }

    /** The guard these settings make; a share outside 0..1 stops the start with what is expected. */
    public dev.wgcp.edge.domain.RemovalGuard removalGuard() {
        try {
            return new dev.wgcp.edge.domain.RemovalGuard(removalGuardShare, removalGuardMinPeers);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("wgcp.agent.removal-guard-*: " + e.getMessage(), e);
        }
    }

    /**
     * The server's underlay interface whose global addresses are its public addresses (a server with a
     * public IP on it, e.g. eth0): reported to endpoint-tracker, which keeps the edge's DNS name on them.
     */
    public String getPublicAddressInterface() {
        return publicAddressInterface;
    }

    public void setPublicAddressInterface(String publicAddressInterface) {
        this.publicAddressInterface = publicAddressInterface;
    }

    /**
     * A shell command that prints the server's public addresses, for a server behind NAT whose
     * interfaces do not carry them (e.g. {@code curl -s https://ifconfig.me}, or a query to the router).
     */
    public String getPublicAddressCommand() {
        return publicAddressCommand;
    }

    public void setPublicAddressCommand(String publicAddressCommand) {
        this.publicAddressCommand = publicAddressCommand;
    }

    /** How often the public addresses are read (a change is reported at the next read). */
    public Duration getPublicAddressInterval() {
        return publicAddressInterval;
    }

    public void setPublicAddressInterval(Duration publicAddressInterval) {
        this.publicAddressInterval = publicAddressInterval;
    }
}
