package dev.wgcp.schemas;

/**
 * IP address literals in one spelling, as WireGuard and nft print them and as events carry them:
 * IPv4 as is, IPv6 compressed (RFC 5952: lower case, the longest run of two or more zero groups as
 * {@code ::}). Never a name lookup.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** An address literal in one spelling; anything that is not an IPv6 literal comes back unchanged. */
    public static String canonical(String address) {
        if (!address.contains(":")) {
            return address;
        }
        try {
            return compress(java.net.InetAddress.getByName(address).getAddress()); // with ':' it can only be a literal
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

    /** The 16 bytes of an IPv6 address as RFC 5952 writes them. */
    public static String compress(byte[] v6) {
        if (v6.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + v6.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((v6[2 * i] & 0xff) << 8) | (v6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
