package dev.wgcp.edge.domain;

/** IP address literals in one spelling, as WireGuard and nft print them: IPv4 as is, IPv6 compressed (RFC 5952). */
public final class Addresses {

    private Addresses() {
    }

    /** An address literal in one spelling: IPv4 as is, IPv6 compressed. */
    public static String canonical(String address) {
        if (!address.contains(":")) {
            return address;
        }
        try {
            byte[] b = java.net.InetAddress.getByName(address).getAddress(); // a literal: no name lookup
            StringBuilder sb = new StringBuilder();
            int[] words = new int[8];
            for (int i = 0; i < 8; i++) {
                words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            }
            int bestStart = -1;
            int bestLen = 0;
            for (int i = 0; i < 8; ) {
                if (words[i] == 0) {
                    int j = i;
                    while (j < 8 && words[j] == 0) {
                        j++;
                    }
                    if (j - i > bestLen && j - i > 1) {
                        bestStart = i;
                        bestLen = j - i;
                    }
                    i = j;
                } else {
                    i++;
                }
            }
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(words[i]));
            }
            return sb.toString();
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

}
