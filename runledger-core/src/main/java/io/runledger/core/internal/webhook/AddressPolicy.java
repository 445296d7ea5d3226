package io.runledger.core.internal.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses a webhook may be delivered to. Loopback, link-local, private (site-local
 * and IPv6 unique-local), wildcard and multicast addresses are refused, so a webhook cannot
 * be aimed at the server's own network, unless an allowed CIDR covers the address.
 */
public final class AddressPolicy {
    private final List<Cidr> allowed;

    private AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Parses CIDRs such as {@code 127.0.0.1/32} or {@code fd00::/8}; refuses malformed ones. */
    public static AddressPolicy allowing(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String c : cidrs) {
            parsed.add(Cidr.parse(c.strip()));
        }
        return new AddressPolicy(parsed);
    }

    public static AddressPolicy strict() {
        return new AddressPolicy(List.of());
    }

    /** Null if {@code address} may be called, else why not. */
    public String refusal(InetAddress address) {
        for (Cidr c : allowed) {
            if (c.contains(address)) {
                return null;
            }
        }
        if (address.isLoopbackAddress()) {
            return "loopback address " + address.getHostAddress();
        }
        if (address.isLinkLocalAddress()) {
            return "link-local address " + address.getHostAddress();
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(address) || isCarrierGradeNat(address)) {
            return "private address " + address.getHostAddress();
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "non-unicast address " + address.getHostAddress();
        }
        return null;
    }

    /** Resolves {@code host} and returns its addresses, refusing if any of them is refused. */
    public InetAddress[] resolveAllowed(String host) throws UnknownHostException, RefusedAddressException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress a : addresses) {
            String why = refusal(a);
            if (why != null) {
                throw new RefusedAddressException(host + " resolves to a " + why
                        + " (allow it with --webhook-allow-cidrs)");
            }
        }
        return addresses;
    }

    private static boolean isUniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static boolean isCarrierGradeNat(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    /** A refused target address. */
    public static final class RefusedAddressException extends Exception {
        public RefusedAddressException(String message) {
            super(message);
        }
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("CIDR '" + text + "' needs a /prefix");
            }
            String host = text.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("CIDR '" + text + "' must start with an IP address");
            }
            try {
                byte[] network = InetAddress.getByName(host).getAddress();
                int prefix = Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("CIDR '" + text + "' has a prefix out of range");
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("malformed CIDR '" + text + "'");
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
