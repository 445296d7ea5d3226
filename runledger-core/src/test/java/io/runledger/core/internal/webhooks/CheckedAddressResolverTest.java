package io.runledger.core.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;

/**
 * The webhook client's resolver: what it hands over to connect to is what it checked, from
 * one lookup; a name that resolves (or rebinds) to a refused address yields nothing to
 * connect to.
 */
class CheckedAddressResolverTest {
    private final AtomicInteger lookups = new AtomicInteger();

    private SocketAddressResolver dns(String... addresses) {
        return (host, port, context, promise) -> {
            lookups.incrementAndGet();
            try {
                List<InetSocketAddress> result = new java.util.ArrayList<>();
                for (String a : addresses) {
                    result.add(new InetSocketAddress(InetAddress.getByName(a), port));
                }
                promise.succeeded(result);
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        };
    }

    private static List<InetSocketAddress> resolve(SocketAddressResolver r, String host) throws Exception {
        Promise.Completable<List<InetSocketAddress>> p = new Promise.Completable<>();
        r.resolve(host, 443, Map.of(), p);
        return p.get();
    }

    @Test
    void theCheckedAddressesAreExactlyTheOnesHandedToTheClient() throws Exception {
        SocketAddressResolver r = new CheckedAddressResolver(AddressPolicy.strict(), dns("93.184.215.14", "2606:2800::1"));
        List<InetSocketAddress> addresses = resolve(r, "hooks.example");
        assertThat(addresses).extracting(a -> a.getAddress().getHostAddress())
                .containsExactly("93.184.215.14", "2606:2800:0:0:0:0:0:1");
        assertThat(addresses).allMatch(a -> !a.isUnresolved() && a.getPort() == 443);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aNameThatResolvesToARefusedAddressGivesNothingToConnectTo() {
        for (String[] answer : List.of(new String[] {"169.254.169.254"}, new String[] {"93.184.215.14", "10.0.0.7"},
                new String[] {"64:ff9b::a9fe:a9fe"}, new String[] {"::ffff:127.0.0.1"})) {
            SocketAddressResolver r = new CheckedAddressResolver(AddressPolicy.strict(), dns(answer));
            assertThatThrownBy(() -> resolve(r, "rebound.example")).as(String.join(",", answer))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(AddressPolicy.RefusedAddressException.class);
        }
    }

    @Test
    void anUnresolvedAnswerIsNotPassedOnToBeLookedUpAgain() {
        SocketAddressResolver unresolved = (host, port, context, promise) ->
                promise.succeeded(List.of(InetSocketAddress.createUnresolved(host, port)));
        SocketAddressResolver r = new CheckedAddressResolver(AddressPolicy.strict(), unresolved);
        assertThatThrownBy(() -> resolve(r, "late.example")).cause().isInstanceOf(UnknownHostException.class);
    }
}
