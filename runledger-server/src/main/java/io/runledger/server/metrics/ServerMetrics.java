package io.runledger.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runledger.api.DispatchResult;
import io.runledger.api.LedgerListener;
import io.runledger.api.QueueResult;
import io.runledger.api.QueueStat;
import io.runledger.api.RetentionResult;
import io.runledger.api.RunStatus;
import io.runledger.api.SweepResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (Micrometer). Counters come from the engine's
 * {@link LedgerListener} after each commit; queue depth and oldest age are read from the
 * database at scrape time, so every instance reports the same shared queue.
 *
 * <p>By default run counters and queue gauges are aggregated over all scopes and services:
 * scope and service names are tenants' data, and one series per scope would also grow
 * without bound. {@link #ServerMetrics(boolean) With scope labels} they are broken down by
 * {@code scope} and {@code service}.
 */
public final class ServerMetrics implements LedgerListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge queueDepth;
    private final MultiGauge queueOldest;
    private final AtomicInteger openStreams = new AtomicInteger();
    private volatile Supplier<List<QueueStat>> queueStats = List::of;
    private volatile java.util.function.LongSupplier servicesPaused = () -> 0;
    private final boolean scopeLabels;

    /** Metrics aggregated over scopes and services (no scope or service labels). */
    public ServerMetrics() {
        this(false);
    }

    /** @param scopeLabels whether run counters and queue gauges carry scope and service labels */
    public ServerMetrics(boolean scopeLabels) {
        this.scopeLabels = scopeLabels;
        queueDepth = MultiGauge.builder("runledger.queue.depth")
                .description("Runs waiting to be leased, per service").register(registry);
        queueOldest = MultiGauge.builder("runledger.queue.oldest.age")
                .description("Age of the oldest run waiting to be leased, per service").baseUnit("seconds")
                .register(registry);
        Gauge.builder("runledger.sse.streams.open", openStreams, AtomicInteger::get)
                .description("Server-Sent Event streams open now").register(registry);
        Gauge.builder("runledger.services.paused", this, m -> m.servicesPaused.getAsLong())
                .description("Services paused now: they accept triggers, leases skip them").register(registry);
    }

    /** Where the paused-services count comes from (the engine); read at each scrape. */
    public void servicesPaused(java.util.function.LongSupplier source) {
        this.servicesPaused = source;
    }

    /** Where queue depths come from (the engine); read at each scrape. */
    public void queueStats(Supplier<List<QueueStat>> source) {
        this.queueStats = source;
    }

    /** The Prometheus text exposition of every metric, queue gauges refreshed first. */
    public String scrape() {
        List<QueueStat> stats = queueStats.get();
        if (scopeLabels) {
            queueDepth.register(stats.stream().map(s -> MultiGauge.Row.of(
                    Tags.of("scope", s.scope(), "service", s.service()), s.depth())).toList(), true);
            queueOldest.register(stats.stream().map(s -> MultiGauge.Row.of(
                    Tags.of("scope", s.scope(), "service", s.service()), s.oldestAgeSeconds())).toList(), true);
        } else {
            long depth = stats.stream().mapToLong(QueueStat::depth).sum();
            double oldest = stats.stream().mapToDouble(QueueStat::oldestAgeSeconds).max().orElse(0);
            queueDepth.register(List.of(MultiGauge.Row.of(Tags.empty(), depth)), true);
            queueOldest.register(List.of(MultiGauge.Row.of(Tags.empty(), oldest)), true);
        }
        return registry.scrape();
    }

    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    public void streamClosed() {
        openStreams.decrementAndGet();
    }

    /** One HTTP request: method, matched route pattern (not the raw path) and status. */
    public void httpRequest(String method, String route, int status, Duration duration) {
        Timer.builder("runledger.http.server.requests")
                .description("HTTP request latency")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    @Override
    public void runsTriggered(String scope, String service, int count) {
        Counter.builder("runledger.runs.triggered").description("Runs registered")
                .tags(runTags(scope, service)).register(registry).increment(count);
    }

    @Override
    public void schedulesFired(String scope, String service, int count) {
        Counter.builder("runledger.schedules.fired").description("Runs triggered by cron schedules firing")
                .tags(runTags(scope, service)).register(registry).increment(count);
    }

    @Override
    public void runStarted(String scope, String service) {
        Counter.builder("runledger.runs.started").description("Attempts started (leases granted)")
                .tags(runTags(scope, service)).register(registry).increment();
    }

    @Override
    public void runSettled(String scope, String service, RunStatus status) {
        Counter.builder("runledger.runs.settled").description("Runs settled, by terminal status")
                .tags(runTags(scope, service).and("status", status.wireName())).register(registry).increment();
    }

    @Override
    public void leasesExpired(SweepResult result) {
        count("runledger.leases.expired", "recovered", result.recovered());
        count("runledger.leases.expired", "failed", result.failed());
        count("runledger.leases.expired", "cancelled", result.cancelled());
    }

    /** Every background sweep, whatever it found. */
    public void sweep(SweepResult result) {
        Counter.builder("runledger.sweeps").description("Sweeps of expired leases").register(registry).increment();
    }

    /** Every background queue pass. */
    public void queuePass(QueueResult result) {
        count("runledger.queue.promoted", null, result.promoted());
        count("runledger.queue.expired", null, result.expired());
    }

    @Override
    public void webhookDeliveries(DispatchResult result) {
        count("runledger.webhook.deliveries", "delivered", result.delivered());
        count("runledger.webhook.deliveries", "retrying", result.retrying());
        count("runledger.webhook.deliveries", "dead", result.dead());
    }

    /** {@code runledger_retention_deleted_total{kind="runs|events|deliveries"}}. */
    @Override
    public void retentionDeleted(RetentionResult result) {
        retentionCount("runs", result.runs());
        retentionCount("events", result.events());
        retentionCount("deliveries", result.deliveries());
    }

    private void retentionCount(String kind, long n) {
        Counter c = Counter.builder("runledger.retention.deleted")
                .description("Rows deleted by retention: terminal runs, their events, webhook deliveries")
                .tag("kind", kind).register(registry);
        if (n > 0) {
            c.increment(n);
        }
    }

    private Tags runTags(String scope, String service) {
        return scopeLabels ? Tags.of("scope", scope, "service", service) : Tags.empty();
    }

    private void count(String name, String outcome, int n) {
        Counter.Builder b = Counter.builder(name);
        if (outcome != null) {
            b.tag("outcome", outcome);
        }
        Counter c = b.register(registry);
        if (n > 0) {
            c.increment(n);
        }
    }
}
