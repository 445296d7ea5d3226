package io.runledger.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runledger.server.http.HeldRequests;
import java.time.Duration;

/**
 * The HTTP series. Latency is a histogram per route with a few fixed buckets sized for
 * latency objectives; the route set is known once the router is built, so every route has its
 * histogram from the start. The status has a counter of its own: the statuses a route will
 * answer are not known before it answers them, and a status label on the histogram would
 * multiply its buckets.
 *
 * <p>Held requests (event streams, run waits, lease polls that waited) last as long as the
 * wait or the stream, seconds to hours: in the latency histogram they would hide every
 * ordinary request's latency, so they are timed apart, per kind, without buckets.
 */
final class HttpMetrics {
    /** The latency buckets: from a fast read to the slowest answer worth telling apart. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    };

    static final String REQUESTS = "runledger.http.server.requests";
    static final String RESPONSES = "runledger.http.server.responses";
    static final String HELD = "runledger.http.server.held.requests";

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (HeldRequests.Kind kind : HeldRequests.Kind.values()) {
            held(kind);
        }
    }

    /** Registers the latency histogram of a route at zero. */
    void route(String method, String route) {
        latency(method, route);
    }

    void record(String method, String route, int status, Duration duration, HeldRequests.Kind heldAs) {
        Counter.builder(RESPONSES)
                .description("HTTP answers by method, route and status, held requests included")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry).increment();
        if (heldAs == null) {
            latency(method, route).record(duration);
        } else {
            held(heldAs).record(duration);
        }
    }

    private Timer latency(String method, String route) {
        return Timer.builder(REQUESTS)
                .description("HTTP request latency by method and route (held requests are timed apart)")
                .tags("method", method, "route", route)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private Timer held(HeldRequests.Kind kind) {
        return Timer.builder(HELD)
                .description("How long held requests (event streams, run waits, waiting lease polls) stayed open")
                .tag("kind", kind.metricName())
                .register(registry);
    }
}
