package io.runledger.server.metrics;

import io.javalin.config.RoutesConfig;
import java.util.Objects;

/** {@code GET /metrics}: the Prometheus text format, unauthenticated like the health checks. */
public final class MetricsRoutes {
    public static final String METRICS = "/metrics";

    private final ServerMetrics metrics;

    public MetricsRoutes(ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public void register(RoutesConfig routes) {
        routes.get(METRICS, ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
    }
}
