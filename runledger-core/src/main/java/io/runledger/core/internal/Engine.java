package io.runledger.core.internal;

import io.runledger.core.internal.bulk.BulkOps;
import io.runledger.core.internal.bulk.BulkPages;
import io.runledger.core.internal.maintenance.WakeableLoop;
import io.runledger.core.internal.runs.RunTrees;
import io.runledger.core.internal.schedules.ScheduleFirer;
import io.runledger.core.internal.schedules.ScheduleOps;
import io.runledger.core.internal.schedules.SchedulePass;
import io.runledger.core.internal.store.BulkActionStore;
import io.runledger.core.internal.store.ScheduleStore;
import io.runledger.core.internal.steps.StepOps;
import io.runledger.core.internal.store.StepStore;
import io.runledger.core.internal.store.ThreadStore;
import io.runledger.core.internal.store.WaitpointStore;
import io.runledger.core.internal.threads.ThreadOps;
import io.runledger.core.internal.waitpoints.Resumer;
import io.runledger.core.internal.waitpoints.SuspendOps;
import io.runledger.core.internal.waitpoints.WaitpointOps;
import io.runledger.api.DispatchResult;
import io.runledger.api.Ledger;
import io.runledger.api.Maintenance;
import io.runledger.api.QueueResult;
import io.runledger.api.QueueStat;
import io.runledger.api.RunAccessGrant;
import io.runledger.api.RunAccessToken;
import io.runledger.api.ScopeKey;
import io.runledger.api.SweepResult;
import io.runledger.core.internal.admin.AdminOps;
import io.runledger.core.internal.batches.BatchOps;
import io.runledger.core.internal.db.Database;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.ServiceCache;
import io.runledger.core.internal.kernel.RunIds;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.leases.EngineWorkers;
import io.runledger.core.internal.leases.WorkerOps;
import io.runledger.core.internal.maintenance.DueTimer;
import io.runledger.core.internal.maintenance.MaintenanceLoop;
import io.runledger.core.internal.maintenance.QueueMaintainer;
import io.runledger.core.internal.maintenance.Retention;
import io.runledger.core.internal.maintenance.RunStatsFolder;
import io.runledger.core.internal.store.RetentionStore;
import io.runledger.api.RetentionResult;
import io.runledger.core.internal.maintenance.Sweeper;
import io.runledger.core.internal.notify.PgListener;
import io.runledger.core.internal.notify.WaitGroup;
import io.runledger.core.internal.notify.WaitingPolls;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.runs.CancelOps;
import io.runledger.core.internal.runs.EngineRuns;
import io.runledger.core.internal.runs.KeyStops;
import io.runledger.core.internal.runs.Projection;
import io.runledger.core.internal.runs.RunAccessOps;
import io.runledger.core.internal.runs.RunReads;
import io.runledger.core.internal.runs.TriggerOps;
import io.runledger.core.internal.schema.InputSchemas;
import io.runledger.core.internal.signals.SignalOps;
import io.runledger.core.internal.store.BatchStore;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.IdempotencyStore;
import io.runledger.core.internal.store.MessageStore;
import io.runledger.core.internal.store.RunAccessTokenStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.OverviewStore;
import io.runledger.core.internal.store.ScopeKeyStore;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.WebhookStore;
import io.runledger.core.internal.store.WorkerStore;
import io.runledger.core.internal.webhooks.WebhookDispatcher;
import io.runledger.core.internal.webhooks.WebhookOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's wiring: stores, operations, the LISTEN connection and the background loops,
 * built once over an open {@link Database}. Views ({@link #view}) share all of it and differ
 * only in the group their long waits belong to.
 */
public final class Engine implements Maintenance, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final Database database;
    private final PgListener listener;
    private final Tx tx;
    private final WaitingPolls polls;
    private final RunStore store;
    private final TriggerOps triggers;
    private final RunReads reads;
    private final CancelOps cancels;
    private final KeyStops keyStops;
    private final Projection projection;
    private final WorkerOps workerOps;
    private final SignalOps signals;
    private final BatchOps batches;
    private final WebhookOps webhooks;
    private final AdminOps admin;
    private final RunAccessOps access;
    private final ServiceStore serviceStore;
    private final WebhookDispatcher dispatcher;
    private final Sweeper sweeper;
    private final QueueMaintainer queue;
    private final Retention retention;
    private final RunStatsFolder runStats;
    private final RunTrees trees;
    private final StepOps steps;
    private final SuspendOps suspends;
    private final WaitpointOps waitpoints;
    private final Resumer resumer;
    private final BulkOps bulkOps;
    private final BulkPages bulkPages;
    private final ThreadOps threads;
    /** Processes bulk actions' pages; only on an instance that runs the loops. */
    private WakeableLoop bulkLoop;
    /** The queue pass at the times things come due; only on an instance that runs the loops. */
    private DueTimer dueTimer;
    private final ScheduleOps schedules;
    private final ScheduleFirer scheduleFirer;
    /** The schedule pass at the next fire times this instance set; only with the loops. */
    private volatile DueTimer scheduleTimer;
    private final List<MaintenanceLoop<?>> loops = new ArrayList<>();
    /** The wait groups of the views handed out and not closed yet, all ended when the engine closes. */
    private final Set<WaitGroup> groups = ConcurrentHashMap.newKeySet();

    public Engine(Database database, EngineConfig config) {
        this.database = Objects.requireNonNull(database, "database");
        WakeUps wakeUps = new WakeUps();
        RunStore store = new RunStore();
        EventStore events = new EventStore();
        ServiceStore services = new ServiceStore();
        this.serviceStore = services;
        IdempotencyStore idempotency = new IdempotencyStore();
        WebhookStore hooks = new WebhookStore();
        this.store = store;
        ServiceCache serviceCache = new ServiceCache(services);
        this.tx = new Tx(database.jdbi(), events, wakeUps, config.listener(), serviceCache);
        InputSchemas schemas = new InputSchemas();
        KeyRelease keys = new KeyRelease(store);
        WaitpointStore waits = new WaitpointStore();
        this.cancels = new CancelOps(tx, store, events, keys, waits);
        this.reads = new RunReads(tx, store, events, wakeUps);
        RunIds ids = RunIds.of(config.residentIds());
        this.polls = new WaitingPolls();
        this.triggers = new TriggerOps(tx, store, services, serviceCache, events, idempotency, schemas, cancels,
                config.idempotencyTtl(), ids, polls);
        this.keyStops = new KeyStops(tx, triggers, idempotency, cancels, config.idempotencyTtl());
        this.projection = new Projection(tx, store, events);
        this.signals = new SignalOps(tx, store, events, new MessageStore());
        this.steps = new StepOps(tx, store, new StepStore());
        this.trees = new RunTrees(tx, store, triggers);
        this.resumer = new Resumer(tx, store, events, waits, keys);
        this.suspends = new SuspendOps(tx, store, events, services, waits, ids);
        this.waitpoints = new WaitpointOps(tx, store, services, waits, resumer, ids);
        this.workerOps = new WorkerOps(tx, store, events, services, serviceCache, new WorkerStore(), keys, wakeUps,
                signals, steps, polls);
        this.batches = new BatchOps(tx, new BatchStore(), triggers, store);
        this.webhooks = new WebhookOps(tx, services, hooks, config.webhookPolicy());
        EngineConfig.Webhooks w = config.webhooks();
        this.dispatcher = new WebhookDispatcher(tx, store, events, hooks, config.webhookPolicy(),
                new WebhookDispatcher.Config(config.batchSize(), w.maxAttempts(), w.retryBase(), w.retryMax(),
                        w.timeout(), w.concurrencyPerTarget(), w.maxInFlight()));
        OverviewStore overviewStore = new OverviewStore();
        this.admin = new AdminOps(tx, services, new ScopeKeyStore(), overviewStore, schemas);
        this.access = new RunAccessOps(tx, new RunAccessTokenStore());
        ScheduleStore scheduleStore = new ScheduleStore();
        this.schedules = new ScheduleOps(tx, scheduleStore, store, triggers, schemas, this::scheduleDue);
        this.scheduleFirer = new ScheduleFirer(tx, scheduleStore, triggers, config.batchSize(), this::scheduleDue);
        BulkActionStore bulkStore = new BulkActionStore();
        this.bulkOps = new BulkOps(tx, bulkStore);
        this.bulkPages = new BulkPages(tx, bulkStore, store, cancels, trees);
        this.threads = new ThreadOps(tx, new ThreadStore());
        this.sweeper = new Sweeper(tx, store, events, keys, config.batchSize());
        this.queue = new QueueMaintainer(tx, store, idempotency, keys, resumer, config.batchSize());
        // a pass ends within 2 s (sooner if the interval is shorter), so a closing engine does
        // not wait on it; a backlog is taken up again by the next pass
        this.runStats = new RunStatsFolder(tx, overviewStore);
        this.retention = new Retention(tx, new RetentionStore(),
                config.retentionInterval().compareTo(Retention.MAX_PASS) < 0 ? config.retentionInterval()
                        : Retention.MAX_PASS);
        this.listener = new PgListener(database.jdbcUrl(), database.user(), database.password(), wakeUps,
                serviceCache, resumer);
        if (config.backgroundLoops()) {
            // Leases that expired while no instance ran (a crash, a long stop) are recovered
            // before this instance hands out any lease or starts its periodic sweep.
            SweepResult boot = sweeper.runOnce();
            log.info("boot sweep: recovered={}, failed={}, cancelled={}", boot.recovered(), boot.failed(),
                    boot.cancelled());
        }
        listener.start();
        if (config.backgroundLoops()) {
            loops.add(new MaintenanceLoop<>("sweeper", config.sweepInterval(), sweeper::runOnce, config.onSweep()));
            loops.add(new MaintenanceLoop<>("queue", config.queueInterval(), queue::runOnce, config.onQueue()));
            dueTimer = new DueTimer(() -> config.onQueue().accept(queue.runOnce()));
            tx.onDue(dueTimer::at);
            scheduleTimer = new DueTimer("runledger-schedules-due", scheduleFirer::runOnce);
            loops.add(new MaintenanceLoop<>("schedules", config.queueInterval(), scheduleFirer::runOnce,
                    (SchedulePass r) -> { }));
            loops.add(new MaintenanceLoop<>("webhooks", config.dispatchInterval(), dispatcher::runOnce,
                    config.onDispatch()));
            loops.add(new MaintenanceLoop<>("retention", config.retentionInterval(), retention::runOnce, r -> { }));
            loops.add(new MaintenanceLoop<>("run-stats", config.retentionInterval(), runStats::runOnce, r -> { }));
            loops.forEach(MaintenanceLoop::start);
            // Bulk actions go on page after page while there are pages; created here, at once.
            bulkLoop = new WakeableLoop("bulk-actions", config.queueInterval(), () -> bulkPages.process(1));
            bulkOps.onCreated(bulkLoop::wake);
            bulkLoop.start();
        }
    }

    /**
     * The operations, with their long waits in {@code waits}. Closing the view ends those
     * waits; closing the engine ends the waits of every view.
     */
    /** The bulk actions' operations, for a split ledger that creates one action in each database under one id. */
    public BulkOps bulkOps() {
        return bulkOps;
    }

    /** The schedule firer, whose fires a split ledger sends to the runs database. */
    public ScheduleFirer scheduleFirer() {
        return scheduleFirer;
    }

    public Ledger view(WaitGroup waits) {
        groups.add(waits);
        return new LedgerView(new EngineRuns(triggers, reads, cancels, keyStops, projection, trees, steps, access,
                waits),
                new EngineWorkers(workerOps, signals, suspends, steps, trees, waits), signals, batches, webhooks,
                waitpoints, schedules, bulkOps, admin, waits, groups);
    }

    /** A schedule's next fire time: this instance's timer fires it then (the periodic pass is the fallback). */
    private void scheduleDue(java.time.Instant at) {
        DueTimer timer = scheduleTimer;
        if (timer != null) {
            timer.at(at);
        }
    }

    /** Checks a completion webhook's URL without writing anything. */
    public void runWebhookCheck(String url) {
        webhooks.runWebhookCheck(url);
    }

    /** A run's one-off completion webhook, delivered through the outbox. */
    public void runWebhook(String scope, String runId, String url) {
        webhooks.runWebhook(scope, runId, url);
    }

    /** Threads: conversations of runs sharing a concurrency key. */
    public io.runledger.api.Threads threads() {
        return threads;
    }

    /** The scope and id of a presented scope key, if it is one (records its use). */
    public Optional<ScopeKey> keyVerify(String presented) {
        return admin.keyVerify(presented);
    }

    /** A run access token issued by a scope key ({@code keyId}) or the admin key ({@code adminKeyTag}). */
    public RunAccessToken accessTokenIssue(String scope, String runId, java.time.Duration ttl, String keyId,
                                           String adminKeyTag) {
        return access.issue(scope, runId, ttl, keyId, adminKeyTag);
    }

    /** What a presented run access token grants, expired or not. */
    public Optional<RunAccessGrant> accessTokenVerify(String presented) {
        return access.verify(presented);
    }

    @Override
    public SweepResult sweep() {
        return sweeper.runOnce();
    }

    @Override
    public QueueResult queue() {
        return queue.runOnce();
    }

    @Override
    public DispatchResult webhooks() {
        return dispatcher.runOnce();
    }

    @Override
    public int bulkActionPages(int maxPages) {
        return bulkPages.process(maxPages);
    }

    @Override
    public int runStats() {
        return runStats.runOnce();
    }

    @Override
    public RetentionResult retention() {
        return retention.runOnce();
    }

    @Override
    public List<QueueStat> queueStats() {
        return tx.read(store::queueStats);
    }

    @Override
    public long servicesPaused() {
        return tx.read(serviceStore::servicesPausedCount);
    }

    /**
     * Ends every long wait, stops the loops, gives back webhook claims in flight, then closes
     * LISTEN and the pool.
     */
    @Override
    public void close() {
        groups.forEach(WaitGroup::end);
        loops.forEach(MaintenanceLoop::close);
        if (bulkLoop != null) {
            bulkLoop.close(); // a page in progress commits (or rolls back) before the pool closes
        }
        if (dueTimer != null) {
            dueTimer.close();
        }
        if (scheduleTimer != null) {
            scheduleTimer.close();
        }
        dispatcher.close(); // gives back the claims of requests in flight while the database is up
        listener.close();
        resumer.close();
        database.close();
    }

    /** How many lease polls wait with an open offer to triggers now. */
    public int pollsWaiting() {
        return polls.waiting();
    }
}
