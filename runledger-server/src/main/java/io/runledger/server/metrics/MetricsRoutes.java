package io.runledger.server.metrics;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.Paths;
import java.util.Objects;

/**
 * {@code GET /metrics}: the Prometheus text format. It names services (and, with scope
 * labels, scopes), so it needs the admin key or the metrics token unless the operator made
 * it public.
 */
public final class MetricsRoutes {

    private final ServerMetrics metrics;
    private final Authenticator auth;
    private final String tokenHash;
    private final boolean open;

    /**
     * @param tokenHash SHA-256 (hex) of the metrics token, or null for the admin key only
     * @param open true to serve metrics without a key
     */
    public MetricsRoutes(ServerMetrics metrics, Authenticator auth, String tokenHash, boolean open) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.tokenHash = tokenHash;
        this.open = open;
    }

    public void register(RoutesConfig routes) {
        routes.get(Paths.METRICS, this::scrape);
    }

    private void scrape(Context ctx) {
        if (!open) {
            auth.requireAdminOr(ctx, tokenHash);
        }
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }
}
