package io.runledger.core.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook address policy, one row per range of the IANA special-purpose registries. */
class AddressPolicyTest {
    private static final AddressPolicy STRICT = AddressPolicy.strict();

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0          | this-network
            0.1.2.3          | this-network
            10.1.2.3         | private
            100.64.0.1       | shared (carrier-grade NAT)
            100.127.255.254  | shared (carrier-grade NAT)
            127.0.0.1        | loopback
            127.255.0.9      | loopback
            169.254.169.254  | link-local
            172.16.0.1       | private
            172.31.255.255   | private
            192.0.0.8        | IETF protocol assignment
            192.0.0.170      | IETF protocol assignment
            192.0.2.10       | documentation
            192.31.196.1     | AS112
            192.52.193.1     | AMT
            192.88.99.1      | 6to4 relay anycast
            192.168.1.1      | private
            192.175.48.1     | AS112
            198.18.0.1       | benchmarking
            198.19.255.255   | benchmarking
            198.51.100.7     | documentation
            203.0.113.99     | documentation
            224.0.0.251      | multicast
            239.255.255.250  | multicast
            240.0.0.1        | reserved
            255.255.255.254  | reserved
            255.255.255.255  | broadcast
            ::               | unspecified
            ::1              | loopback
            ::127.0.0.1      | IPv4-compatible
            ::8.8.8.8        | IPv4-compatible
            64:ff9b::808:808 | NAT64
            64:ff9b::a00:1   | NAT64
            64:ff9b:1::1     | NAT64 local-use
            100::1           | discard-only
            2001::1          | Teredo
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo
            2001:2::1        | IETF protocol assignment
            2001:1ff::1      | IETF protocol assignment
            2001:db8::1      | documentation
            2002:c0a8:101::1 | 6to4
            2002:808:808::1  | 6to4
            2620:4f:8000::1  | AS112
            3fff::1          | documentation
            5f00::1          | segment routing
            fc00::1          | unique-local
            fd12:3456::1     | unique-local
            fe80::1          | link-local
            febf::1          | link-local
            fec0::1          | site-local
            ff02::1          | multicast
            ff0e::1          | multicast
            """)
    void specialPurposeAddressesAreRefused(String address, String name) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertThat(STRICT.refusal(a)).as(address).startsWith(name + " address ");
    }

    @ParameterizedTest(name = "{0} may be called")
    @CsvSource(textBlock = """
            8.8.8.8
            1.1.1.1
            9.255.255.255
            11.0.0.0
            100.63.255.255
            100.128.0.0
            126.255.255.255
            128.0.0.0
            169.253.255.255
            172.15.255.255
            172.32.0.0
            192.0.1.1
            192.88.98.1
            192.167.255.255
            192.169.0.0
            198.17.255.255
            198.20.0.0
            223.255.255.255
            2606:4700:4700::1111
            2a00:1450:4001:80b::200e
            2001:200::1
            2003::1
            """)
    void publicAddressesMayBeCalled(String address) throws Exception {
        assertThat(STRICT.refusal(InetAddress.getByName(address))).as(address).isNull();
    }

    @Test
    void anAllowedCidrOverridesTheTableForItsAddressesOnly() throws Exception {
        AddressPolicy policy = AddressPolicy.allowing(List.of("127.0.0.1/32", "fd00::/8"));
        assertThat(policy.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(policy.refusal(InetAddress.getByName("127.0.0.2"))).startsWith("loopback");
        assertThat(policy.refusal(InetAddress.getByName("fd00::5"))).isNull();
        assertThat(policy.refusal(InetAddress.getByName("fc00::5"))).startsWith("unique-local");
        assertThat(policy.refusal(InetAddress.getByName("::1"))).startsWith("loopback");
    }

    @Test
    void anIpv4MappedLiteralIsRefusedWhateverItEmbeds() {
        AddressPolicy policy = AddressPolicy.allowing(List.of("127.0.0.1/32"));
        for (String host : List.of("[::ffff:8.8.8.8]", "[::ffff:127.0.0.1]", "[::ffff:a9fe:a9fe]", "::ffff:10.0.0.1")) {
            assertThatThrownBy(() -> policy.resolveAllowed(host)).as(host)
                    .isInstanceOf(AddressPolicy.RefusedAddressException.class).hasMessageContaining("IPv4-mapped");
        }
    }

    @Test
    void aHostIsRefusedIfAnyOfItsAddressesIs() throws Exception {
        assertThatThrownBy(() -> STRICT.check("mixed.example", List.of(InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("10.0.0.1")))).isInstanceOf(AddressPolicy.RefusedAddressException.class)
                .hasMessageContaining("private address 10.0.0.1");
        STRICT.check("public.example", List.of(InetAddress.getByName("8.8.8.8")));
    }

    @Test
    void malformedAllowedCidrsAreRefused() {
        for (String bad : List.of("127.0.0.1", "localhost/32", "10.0.0.0/33", "::/129", "1.2.3.4/x")) {
            assertThatThrownBy(() -> AddressPolicy.allowing(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
