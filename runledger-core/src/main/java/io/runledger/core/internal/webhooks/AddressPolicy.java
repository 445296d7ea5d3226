package io.runledger.core.internal.webhooks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a webhook may be delivered to. Every range of the IANA IPv4 and IPv6
 * special-purpose address registries is refused (plus multicast and the reserved 240/4), so
 * a webhook cannot be aimed at the server's own network, at a cloud metadata service, or
 * through a translation prefix (NAT64, 6to4, Teredo) at an IPv4 address that would be
 * refused, unless an allowed CIDR covers the address. The table is the whole rule: adding a
 * range is one line.
 */
public final class AddressPolicy {
    /** The refused ranges, most specific first so that a refusal names the closest one. */
    private static final List<Range> SPECIAL = List.of(
            // IPv4, IANA IPv4 Special-Purpose Address Registry
            new Range("0.0.0.0/8", "this-network"),
            new Range("10.0.0.0/8", "private"),
            new Range("100.64.0.0/10", "shared (carrier-grade NAT)"),
            new Range("127.0.0.0/8", "loopback"),
            new Range("169.254.0.0/16", "link-local"),
            new Range("172.16.0.0/12", "private"),
            new Range("192.0.0.0/24", "IETF protocol assignment"),
            new Range("192.0.2.0/24", "documentation"),
            new Range("192.31.196.0/24", "AS112"),
            new Range("192.52.193.0/24", "AMT"),
            new Range("192.88.99.0/24", "6to4 relay anycast"),
            new Range("192.168.0.0/16", "private"),
            new Range("192.175.48.0/24", "AS112"),
            new Range("198.18.0.0/15", "benchmarking"),
            new Range("198.51.100.0/24", "documentation"),
            new Range("203.0.113.0/24", "documentation"),
            new Range("224.0.0.0/4", "multicast"),
            new Range("255.255.255.255/32", "broadcast"),
            new Range("240.0.0.0/4", "reserved"),
            // IPv6, IANA IPv6 Special-Purpose Address Registry. Forms that embed an IPv4
            // address are refused as a whole: the embedded address is not looked at.
            new Range("::/128", "unspecified"),
            new Range("::1/128", "loopback"),
            new Range("::/96", "IPv4-compatible"),
            new Range("64:ff9b::/96", "NAT64"),
            new Range("64:ff9b:1::/48", "NAT64 local-use"),
            new Range("100::/64", "discard-only"),
            new Range("2001::/32", "Teredo"),
            new Range("2001::/23", "IETF protocol assignment"),
            new Range("2001:db8::/32", "documentation"),
            new Range("2002::/16", "6to4"),
            new Range("2620:4f:8000::/48", "AS112"),
            new Range("3fff::/20", "documentation"),
            new Range("5f00::/16", "segment routing"),
            new Range("fc00::/7", "unique-local"),
            new Range("fe80::/10", "link-local"),
            new Range("fec0::/10", "site-local"),
            new Range("ff00::/8", "multicast"));

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
        for (Range r : SPECIAL) {
            if (r.cidr().contains(address)) {
                return r.name() + " address " + address.getHostAddress() + " (" + r.text() + ")";
            }
        }
        return null;
    }

    /**
     * Refuses {@code host} if any of its resolved {@code addresses} is refused. The JDK turns
     * an IPv4-mapped IPv6 literal ({@code [::ffff:10.0.0.1]}) into the IPv4 address it embeds,
     * so an IPv6 literal that comes back as IPv4 is refused here, whatever it embeds.
     */
    public void check(String host, List<InetAddress> addresses) throws RefusedAddressException {
        boolean ipv6Literal = host.indexOf(':') >= 0;
        for (InetAddress a : addresses) {
            String why = ipv6Literal && a instanceof Inet4Address
                    ? "IPv4-mapped address ::ffff:" + a.getHostAddress() + " (::ffff:0:0/96)"
                    : refusal(a);
            if (why != null) {
                throw new RefusedAddressException(host + " resolves to a " + why
                        + " (allow it with --webhook-allow-cidrs)");
            }
        }
    }

    /** Resolves {@code host} and returns its addresses, refusing if any of them is refused. */
    public List<InetAddress> resolveAllowed(String host) throws UnknownHostException, RefusedAddressException {
        List<InetAddress> addresses = Arrays.asList(InetAddress.getAllByName(host));
        check(host, addresses);
        return addresses;
    }

    /** A refused target address. */
    public static final class RefusedAddressException extends Exception {
        public RefusedAddressException(String message) {
            super(message, null, false, false);
        }
    }

    private record Range(String text, String name, Cidr cidr) {
        Range(String text, String name) {
            this(text, name, Cidr.parse(text));
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
