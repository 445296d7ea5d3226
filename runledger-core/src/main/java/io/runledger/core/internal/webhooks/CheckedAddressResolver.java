package io.runledger.core.internal.webhooks;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The webhook client's only way from a host name to socket addresses: the name is resolved
 * once, every address is checked against the {@link AddressPolicy}, and only checked
 * addresses are handed to the client, which connects to them as they are (no second lookup)
 * while the request keeps the original Host header and TLS server name. A DNS answer that
 * changes between the check and the connect (rebinding) therefore cannot reach a refused
 * address: there is no window between the two.
 */
final class CheckedAddressResolver implements SocketAddressResolver {
    private final AddressPolicy policy;
    private final SocketAddressResolver lookup;

    CheckedAddressResolver(AddressPolicy policy, SocketAddressResolver lookup) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        lookup.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                if (addresses.isEmpty() || addresses.stream().anyMatch(InetSocketAddress::isUnresolved)) {
                    // an unresolved address would be looked up again when connecting
                    promise.failed(new UnknownHostException(host));
                    return;
                }
                try {
                    policy.check(host, addresses.stream().map(InetSocketAddress::getAddress).toList());
                } catch (AddressPolicy.RefusedAddressException e) {
                    promise.failed(e);
                    return;
                }
                promise.succeeded(addresses);
            }

            @Override
            public void failed(Throwable x) {
                promise.failed(x);
            }
        });
    }
}
