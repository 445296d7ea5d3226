package io.runledger.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runledger.api.DispatchResult;
import io.runledger.api.LedgerListener;
import io.runledger.api.QueueResult;
import io.runledger.api.QueueStat;
import io.runledger.api.RetentionResult;
import io.runledger.api.RunStatus;
import io.runledger.api.SweepResult;
import io.runledger.core.RunLedger;
import io.runledger.server.http.HeldRequests;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (Micrometer). Counters come from the engine's
 * {@link LedgerListener} after each commit and from its background loops' hooks; queue depth
 * and oldest age are read from the database at scrape time, so every instance reports the
 * same shared queue.
 *
 * <p>Every series whose labels are known without traffic exists from the start, at zero:
 * outcomes, statuses and kinds are fixed sets, and the routes are known once the router is
 * built. A rate or an alert over a counter that does not exist yet sees nothing, and the first
 * increment of a counter born at 1 is lost to {@code rate()} and {@code increase()}.
 *
 * <p>By default run counters and queue gauges are aggregated over all scopes and services:
 * scope and service names are tenants' data, and one series per scope would also grow
 * without bound. {@link #ServerMetrics(boolean) With scope labels} they are broken down by
 * {@code scope} and {@code service}; then each existing service's series appear at zero at
 * the first scrape after it is created.
 */
public final class ServerMetrics implements LedgerListener {
    private static final List<RunStatus> TERMINAL =
            Arrays.stream(RunStatus.values()).filter(RunStatus::isTerminal).toList();

    private final PrometheusMeterRegistry registry = newRegistry();
    private final HttpMetrics http = new HttpMetrics(registry);
    private final MultiGauge queueDepth;
    private final MultiGauge queueOldest;
    private final AtomicInteger openStreams = new AtomicInteger();
    private volatile Supplier<List<QueueStat>> queueStats = List::of;
    private volatile LongSupplier servicesPaused = () -> 0;
    private final boolean scopeLabels;
    /** With scope labels: the services whose run counters exist already. */
    private final Set<List<String>> servicesSeen = ConcurrentHashMap.newKeySet();

    /** Metrics aggregated over scopes and services (no scope or service labels). */
    public ServerMetrics() {
        this(false);
    }

    /** @param scopeLabels whether run counters and queue gauges carry scope and service labels */
    public ServerMetrics(boolean scopeLabels) {
        this.scopeLabels = scopeLabels;
        queueDepth = MultiGauge.builder("runledger.queue.depth")
                .description("Queued runs (status accepted), paused services' included").register(registry);
        queueOldest = MultiGauge.builder("runledger.queue.oldest.age")
                .description("Age of the oldest queued run since it was created (0 when the queue is empty)")
                .baseUnit("seconds").register(registry);
        Gauge.builder("runledger.sse.streams.open", openStreams, AtomicInteger::get)
                .description("Server-Sent Event streams open now").register(registry);
        Gauge.builder("runledger.services.paused", this, m -> m.servicesPaused.getAsLong())
                .description("Services paused now: they accept triggers, leases skip them").register(registry);
        if (!scopeLabels) {
            runCounters(Tags.empty());
        }
        leasesExpired(SweepResult.NONE);
        sweepCounter();
        queuePass(QueueResult.NONE);
        webhookDeliveries(DispatchResult.NONE);
        retentionDeleted(RetentionResult.NONE);
        new UptimeMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of Micrometer's processor series break Prometheus naming rules (promtool rejects
        // a gauge ending in _count and a unit abbreviated as ns); the CPU usage gauges and the
        // load average tell what an operator needs of them.
        registry.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("system.cpu.count") || id.getName().equals("process.cpu.time")));
        return registry;
    }

    /**
     * Points the engine's listener and loop hooks at these metrics: run counters, sweeps,
     * queue passes, webhook deliveries, retention.
     */
    public RunLedger.Builder attachTo(RunLedger.Builder engine) {
        return engine.listener(this).onSweep(this::sweep).onQueue(this::queuePass);
    }

    /** Where the paused-services count comes from (the engine); read at each scrape. */
    public void servicesPaused(LongSupplier source) {
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
            stats.forEach(s -> serviceSeen(s.scope(), s.service()));
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

    /** A route the router serves: its latency histogram exists from now on, at zero. */
    public void httpRoute(String method, String route) {
        http.route(method, route);
    }

    /**
     * One HTTP request: method, matched route pattern (not the raw path), status, and the
     * kind of held request it was (null for an ordinary one).
     */
    public void httpRequest(String method, String route, int status, Duration duration, HeldRequests.Kind heldAs) {
        http.record(method, route, status, duration, heldAs);
    }

    @Override
    public void runsTriggered(String scope, String service, int count) {
        triggered(runTags(scope, service)).increment(count);
    }

    @Override
    public void schedulesFired(String scope, String service, int count) {
        schedulesFired(runTags(scope, service)).increment(count);
    }

    @Override
    public void runStarted(String scope, String service) {
        started(runTags(scope, service)).increment();
    }

    @Override
    public void runSettled(String scope, String service, RunStatus status) {
        settled(runTags(scope, service), status).increment();
    }

    @Override
    public void leasesExpired(SweepResult result) {
        String help = "Runs whose lease expired, by what the sweep did: recovered (queued again), failed, cancelled";
        count("runledger.leases.expired", help, "outcome", "recovered", result.recovered());
        count("runledger.leases.expired", help, "outcome", "failed", result.failed());
        count("runledger.leases.expired", help, "outcome", "cancelled", result.cancelled());
    }

    /** Every background sweep, whatever it found. */
    public void sweep(SweepResult result) {
        sweepCounter().increment();
    }

    /** Every background queue pass. */
    public void queuePass(QueueResult result) {
        count("runledger.queue.promoted", "Delayed runs moved into the queue when due", null, null,
                result.promoted());
        count("runledger.queue.expired", "Queued runs expired because their ttlSeconds passed before a lease",
                null, null, result.expired());
    }

    @Override
    public void webhookDeliveries(DispatchResult result) {
        String help = "Webhook delivery attempts that ended: delivered, retrying (failed, will be tried again),"
                + " dead (failed for the last time)";
        count("runledger.webhook.deliveries", help, "outcome", "delivered", result.delivered());
        count("runledger.webhook.deliveries", help, "outcome", "retrying", result.retrying());
        count("runledger.webhook.deliveries", help, "outcome", "dead", result.dead());
    }

    /** {@code runledger_retention_deleted_total{kind="runs|events|deliveries"}}. */
    @Override
    public void retentionDeleted(RetentionResult result) {
        String help = "Rows deleted by retention: terminal runs, their events, webhook deliveries";
        count("runledger.retention.deleted", help, "kind", "runs", result.runs());
        count("runledger.retention.deleted", help, "kind", "events", result.events());
        count("runledger.retention.deleted", help, "kind", "deliveries", result.deliveries());
    }

    private Tags runTags(String scope, String service) {
        if (!scopeLabels) {
            return Tags.empty();
        }
        serviceSeen(scope, service);
        return Tags.of("scope", scope, "service", service);
    }

    /** With scope labels: the first time a service is seen, its run counters start at zero. */
    private void serviceSeen(String scope, String service) {
        if (servicesSeen.add(List.of(scope, service))) {
            runCounters(Tags.of("scope", scope, "service", service));
        }
    }

    private void runCounters(Tags tags) {
        triggered(tags);
        started(tags);
        schedulesFired(tags);
        TERMINAL.forEach(status -> settled(tags, status));
    }

    private Counter triggered(Tags tags) {
        return Counter.builder("runledger.runs.triggered").description("Runs registered (triggered)")
                .tags(tags).register(registry);
    }

    private Counter started(Tags tags) {
        return Counter.builder("runledger.runs.started").description("Attempts started (leases granted)")
                .tags(tags).register(registry);
    }

    private Counter schedulesFired(Tags tags) {
        return Counter.builder("runledger.schedules.fired").description("Runs triggered by cron schedules firing")
                .tags(tags).register(registry);
    }

    private Counter settled(Tags tags, RunStatus status) {
        return Counter.builder("runledger.runs.settled")
                .description("Runs settled, by terminal status: succeeded, failed, cancelled, expired")
                .tags(tags.and("status", status.wireName())).register(registry);
    }

    private Counter sweepCounter() {
        return Counter.builder("runledger.sweeps").description("Sweeps for expired leases, whatever they found")
                .register(registry);
    }

    private void count(String name, String help, String label, String value, long n) {
        Counter.Builder b = Counter.builder(name).description(help);
        if (label != null) {
            b.tag(label, value);
        }
        Counter c = b.register(registry);
        if (n > 0) {
            c.increment(n);
        }
    }
}
